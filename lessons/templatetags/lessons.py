"""The lessons section of the case page, and a lesson's evidence as a small trend."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .. import selectors, services
from ..sectors import sector_mix_label

register = template.Library()
PREVIEW = 3
WIDTH, HEIGHT, PAD = 120, 32, 3


@register.inclusion_tag("lessons/_case_section.html", takes_context=True)
def case_lessons_section(context: template.Context, case: Any) -> dict[str, Any]:
    """An evaluated or closed case: its lessons and, for the coordinator, what is asked of them.
    Before that: lessons from other cases of the same theme. One query either way, plus one
    for the coordinator's pending request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    done = services.lessons_open(case)
    section: dict[str, Any] = {"case": case, "done": done, "request": request}
    if not done:
        section["similar"] = selectors.similar_lessons(user, case) if user is not None else []
        return section
    rows = selectors.lessons_of_case(case, limit=PREVIEW + 1)
    section["lessons"], section["more"] = rows[:PREVIEW], len(rows) > PREVIEW
    section["can_record"] = user is not None and services.can_record_lesson(user, case)
    is_coordinator = user is not None and user.is_authenticated and case.coordinator_id == user.pk
    section["asked"] = is_coordinator and selectors.pending_request(case) is not None
    return section


@register.filter
def sector_mix(key: str) -> str:
    return sector_mix_label(key)


@register.simple_tag
def trend(evidence: Any) -> SafeString:
    """The approved values as a small line between baseline and target (decorative: the same
    figures are written beside it)."""
    outcome = evidence.outcome
    values = [float(m.value) for m in evidence.trend]
    if len(values) < 2:
        return SafeString("")
    bounds = [*values, float(outcome.baseline_value), float(outcome.target_value)]
    low, high = min(bounds), max(bounds)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD)

    points = " ".join(f"{PAD + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    target = f"{y(float(outcome.target_value)):.1f}"
    return format_html(
        '<svg class="lesson-trend" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-hidden="true" focusable="false">'
        '<line class="target" x1="0" x2="{w}" y1="{t}" y2="{t}"></line>'
        '<polyline points="{p}"></polyline></svg>',
        w=WIDTH,
        h=HEIGHT,
        t=target,
        p=points,
    )
