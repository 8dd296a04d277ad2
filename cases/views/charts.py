"""A server-rendered SVG chart of an outcome: measurements against baseline and target.

No JavaScript and no chart library: the page works without scripts, and the same numbers are
always printed as a table next to the chart (screen-reader users read the table).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..formatting import format_figure
from ..models import Measurement, Outcome

WIDTH, HEIGHT = 640, 260
# The right margin holds the baseline and target labels, outside the plotted data.
LEFT, RIGHT, TOP, BOTTOM = 64, 120, 24, 40
PLOT_RIGHT = WIDTH - RIGHT
LABEL_GAP, LABEL_HEIGHT, LABEL_EDGE = 8, 34, 18


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    if high == low:
        return (start + end) / 2
    return start + (value - low) / (high - low) * (end - start)


def _x(day: date, first: date, last: date) -> float:
    return _scale(day.toordinal(), first.toordinal(), last.toordinal(), LEFT, PLOT_RIGHT)


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
        "baseline": format_figure(outcome.baseline_value, outcome),
        "baseline_date": date_format(outcome.baseline_date),
        "target": format_figure(outcome.target_value, outcome),
        "target_date": date_format(outcome.target_date),
    }
    if measurements:
        latest = measurements[-1]
        text += " " + _("Latest measurement %(value)s on %(date)s.") % {
            "value": format_figure(latest.value, outcome),
            "date": date_format(latest.measured_on),
        }
    else:
        text += " " + _("No measurements yet.")
    return text


def _reference_line(value: Decimal, low: float, high: float, css: str) -> SafeString:
    y = f"{_y(value, low, high):.1f}"
    return format_html(
        '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>', css, LEFT, PLOT_RIGHT, y, y
    )


def _label_positions(baseline_y: float, target_y: float) -> tuple[float, float]:
    """Label centres beside the two lines, pushed apart so the labels never overlap, and kept
    inside the picture."""
    upper, lower = sorted((baseline_y, target_y))
    if lower - upper < LABEL_HEIGHT:
        middle = (upper + lower) / 2
        upper, lower = middle - LABEL_HEIGHT / 2, middle + LABEL_HEIGHT / 2
    shift = max(0.0, LABEL_EDGE - upper) - max(0.0, lower - (HEIGHT - LABEL_EDGE))
    upper, lower = upper + shift, lower + shift
    return (lower, upper) if baseline_y > target_y else (upper, lower)


def _reference_label(label: str, value: str, centre: float, css: str) -> SafeString:
    """Name and value on two lines in the margin right of the plot: no line runs through them."""
    return format_html(
        '<text class="chart-label {css}-label" x="{x}" y="{y}">'
        '<tspan x="{x}">{label}</tspan><tspan x="{x}" dy="15">{value}</tspan></text>',
        css=css,
        x=PLOT_RIGHT + LABEL_GAP,
        y=f"{centre - 3:.1f}",
        label=label,
        value=value,
    )


def _reference_lines(outcome: Outcome, low: float, high: float) -> SafeString:
    baseline_y, target_y = _label_positions(
        _y(outcome.baseline_value, low, high), _y(outcome.target_value, low, high)
    )
    return format_html(
        "{}{}{}{}",
        _reference_line(outcome.baseline_value, low, high, "chart-baseline"),
        _reference_line(outcome.target_value, low, high, "chart-target"),
        _reference_label(
            _("Baseline"),
            format_figure(outcome.baseline_value, outcome),
            baseline_y,
            "chart-baseline",
        ),
        _reference_label(
            _("Target"), format_figure(outcome.target_value, outcome), target_y, "chart-target"
        ),
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
        "{references}"
        '<polyline class="chart-measured" points="{points}"/>{dots}'
        '<text class="chart-label" x="{l}" y="{date_y}">{first}</text>'
        '<text class="chart-label" x="{r}" y="{date_y}" text-anchor="end">{last}</text></svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=_("Measurements of %(indicator)s") % {"indicator": outcome.indicator},
        desc=_description(outcome, measurements),
        l=LEFT,
        r=PLOT_RIGHT,
        t=TOP,
        b=HEIGHT - BOTTOM,
        references=_reference_lines(outcome, low, high),
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
