"""A server-rendered SVG chart of an outcome: measurements against baseline and target.

No JavaScript and no chart library: the page works without scripts, and the same numbers are
always printed as a table next to the chart (screen-reader users read the table).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..models import Measurement, Outcome

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    if high == low:
        return (start + end) / 2
    return start + (value - low) / (high - low) * (end - start)


def _x(day: date, first: date, last: date) -> float:
    return _scale(day.toordinal(), first.toordinal(), last.toordinal(), LEFT, WIDTH - RIGHT)


def _y(value: Decimal, low: float, high: float) -> float:
    return _scale(float(value), low, high, HEIGHT - BOTTOM, TOP)


def _bounds(outcome: Outcome, measurements: Sequence[Measurement]) -> tuple[float, float]:
    values = [float(outcome.baseline_value), float(outcome.target_value)]
    values += [float(m.value) for m in measurements]
    low, high = min(values), max(values)
    margin = (high - low) * 0.1 or 1
    return low - margin, high + margin


def _description(outcome: Outcome, measurements: Sequence[Measurement]) -> str:
    template = _(
        "Baseline %(baseline)s on %(baseline_date)s, target %(target)s by %(target_date)s."
    )
    text = template % {
        "baseline": number_format(outcome.baseline_value),
        "baseline_date": date_format(outcome.baseline_date),
        "target": number_format(outcome.target_value),
        "target_date": date_format(outcome.target_date),
    }
    if measurements:
        latest = measurements[-1]
        text += " " + _("Latest measurement %(value)s on %(date)s.") % {
            "value": number_format(latest.value),
            "date": date_format(latest.measured_on),
        }
    else:
        text += " " + _("No measurements yet.")
    return text


def _reference_line(label: str, value: Decimal, low: float, high: float, css: str) -> SafeString:
    y = _y(value, low, high)
    return format_html(
        '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-label" x="{}" y="{}">{} {}</text>',
        css,
        LEFT,
        WIDTH - RIGHT,
        f"{y:.1f}",
        f"{y:.1f}",
        LEFT + 4,
        f"{y - 4:.1f}",
        label,
        number_format(value),
    )


def outcome_chart_svg(outcome: Outcome, measurements: Sequence[Measurement]) -> SafeString:
    """An inline SVG with a title and a description; baseline, target and measured values."""
    measurements = sorted(measurements, key=lambda m: (m.measured_on, m.pk))
    first = outcome.baseline_date
    last = max([outcome.target_date, *[m.measured_on for m in measurements]])
    low, high = _bounds(outcome, measurements)
    points = [(outcome.baseline_date, outcome.baseline_value)]
    points += [(m.measured_on, m.value) for m in measurements]
    coords = [(_x(day, first, last), _y(value, low, high)) for day, value in points]
    chart_id = f"chart-{outcome.pk}"
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d" '
        'focusable="false"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>'
        '<line class="chart-axis" x1="{l}" x2="{l}" y1="{t}" y2="{b}"/>'
        '<line class="chart-axis" x1="{l}" x2="{r}" y1="{b}" y2="{b}"/>'
        "{baseline}{target}"
        '<polyline class="chart-measured" points="{points}"/>{dots}'
        '<text class="chart-label" x="{l}" y="{date_y}">{first}</text>'
        '<text class="chart-label" x="{r}" y="{date_y}" text-anchor="end">{last}</text></svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=_("Measurements of %(indicator)s") % {"indicator": outcome.indicator},
        desc=_description(outcome, measurements),
        l=LEFT,
        r=WIDTH - RIGHT,
        t=TOP,
        b=HEIGHT - BOTTOM,
        baseline=_reference_line(
            _("Baseline"), outcome.baseline_value, low, high, "chart-baseline"
        ),
        target=_reference_line(_("Target"), outcome.target_value, low, high, "chart-target"),
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        dots=format_html_join(
            "",
            '<circle class="chart-point" cx="{}" cy="{}" r="4"/>',
            ((f"{x:.1f}", f"{y:.1f}") for x, y in coords[1:]),
        ),
        date_y=HEIGHT - BOTTOM + 20,
        first=date_format(first),
        last=date_format(last),
    )
