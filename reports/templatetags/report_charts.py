"""`{% report_chart outcome %}`: the case page's outcome chart (cases/views/charts.py) with its
colours as SVG presentation attributes, since WeasyPrint does not style inline SVG from the
document's stylesheet."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from cases.views.charts import outcome_chart_svg

register = template.Library()

# The chart's classes, as the screen stylesheet (static/css/samverkan.css) draws them.
PAINT = {
    "chart-axis": 'stroke="#4a5260" stroke-width="1"',
    "chart-baseline": 'stroke="#8a4b00" stroke-width="2" stroke-dasharray="6 4"',
    "chart-target": 'stroke="#1e6b35" stroke-width="2" stroke-dasharray="2 3"',
    "chart-measured": 'fill="none" stroke="#0b5394" stroke-width="3"',
    "chart-point": 'fill="#0b5394"',
    "chart-label": 'font-size="13" fill="#1b1f24" font-family="DejaVu Sans"',
}
_CLASS = re.compile(r'class="([^"]*)"')


def _painted(match: re.Match[str]) -> str:
    classes = match.group(1).split()
    # A label's own colour (baseline, target) follows its line's; the first class decides.
    paint = next((PAINT[name] for name in classes if name in PAINT), "")
    if "chart-label" in classes:
        paint = PAINT["chart-label"]
        for name in ("chart-baseline-label", "chart-target-label"):
            if name in classes:
                colour = PAINT[name.removesuffix("-label")].split()[0].split("=")[1]
                paint = paint.replace('fill="#1b1f24"', f"fill={colour}")
    return f"{match.group(0)} {paint}" if paint else match.group(0)


@register.simple_tag
def report_chart(outcome: Any) -> SafeString:
    """The chart of the outcome's approved values (`chart_values`, oldest first)."""
    svg = outcome_chart_svg(outcome, outcome.chart_values)
    # Only attributes are added, all of them constants: the escaped content is unchanged.
    return mark_safe(_CLASS.sub(_painted, str(svg)))
