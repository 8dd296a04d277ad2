"""Template helpers of the web pages: accessible form fields, status badges, the outcome chart."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from ..formatting import format_figure
from ..views.charts import outcome_chart_svg

register = template.Library()


@register.filter
def accessible(field: forms.BoundField) -> SafeString:
    """The widget with its help text and errors tied to it (aria-describedby, aria-invalid)."""
    described_by = []
    attrs: dict[str, Any] = {}
    if field.use_fieldset:  # the fieldset around the options carries the description
        return field.as_widget()
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.field.required:
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.simple_tag
def outcome_chart(outcome: Any, progress: dict[str, Any]) -> SafeString:
    """The chart of the values that count (approved); pending ones are only in the table.
    The case page hands over a bounded series (`chart_values`: the newest approved values)."""
    series = getattr(outcome, "chart_values", None)
    if series is None:
        series = [m for m in outcome.measurements.all() if m.counts]
    return outcome_chart_svg(outcome, series)


@register.simple_tag(name="figure")
def figure_tag(value: Any, outcome: Any) -> str:
    """A value of the outcome's indicator as people read it: "60 personer", "85,5 %"."""
    return format_figure(value, outcome)


@register.filter
def figure(measurement: Any) -> str:
    """A measurement's value with its outcome's unit, formatted by kind and language."""
    return format_figure(measurement.value, measurement.outcome)


@register.filter
def percent(value: Any) -> str:
    """A share (0.42) as a whole percentage (42), empty when unknown."""
    if value is None:
        return ""
    return str(round(float(value) * 100))


@register.filter
def event_summary(event: Any) -> str:
    """One line of what happened, from the event's payload."""
    payload = event.payload or {}
    for key in ("comment", "text", "reason", "title", "outcome_title", "blocking_title"):
        if payload.get(key):
            return str(payload[key])[:200]
    return ""
