"""The trend of a case's averages per principle as an inline SVG line chart: coordinates only,
drawn by the template (no script, no style attribute: the content security policy allows none)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .choices import Principle

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 40


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: Decimal
    number: int


@dataclass(frozen=True)
class Line:
    principle: str
    label: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


def _y(value: float) -> float:
    return TOP + (5 - value) / 4 * (HEIGHT - TOP - BOTTOM)


def trend_chart(rounds: list[Any], averages: list[dict[str, Decimal]]) -> dict[str, Any]:
    """`rounds` oldest first with their `averages`; a round without averages leaves a gap."""
    count = len(rounds)
    span = WIDTH - LEFT - RIGHT
    xs = [LEFT + (span * i / (count - 1) if count > 1 else span / 2) for i in range(count)]
    lines = []
    for principle in Principle:
        points = [
            Point(
                x=xs[i],
                y=_y(float(values[principle.value])),
                value=values[principle.value],
                number=rounds[i].number,
            )
            for i, values in enumerate(averages)
            if principle.value in values
        ]
        if points:
            lines.append(Line(principle=principle.value, label=str(principle.label), points=points))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "grid": [{"value": v, "y": _y(v)} for v in range(1, 6)],
        "columns": [{"x": xs[i], "number": r.number} for i, r in enumerate(rounds)],
        "axis_y": HEIGHT - BOTTOM,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": HEIGHT - BOTTOM + 20,
    }
