"""The outcome chart: baseline and target labels stay clear of the plotted data."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from cases.models import Measurement, Outcome
from cases.views.charts import HEIGHT, PLOT_RIGHT, WIDTH, outcome_chart_svg

pytestmark = pytest.mark.django_db


def _outcome(baseline: str, target: str) -> Outcome:
    return Outcome(
        pk=1,
        title="Share of pupils",
        indicator="Share of pupils",
        unit="%",
        baseline_value=Decimal(baseline),
        baseline_date=date(2025, 1, 1),
        target_value=Decimal(target),
        target_date=date(2027, 1, 1),
    )


def _measurement(value: str, day: date) -> Measurement:
    return Measurement(pk=1, value=Decimal(value), measured_on=day)


def _labels(svg: str) -> dict[str, tuple[float, float]]:
    """Reference label name -> (x, y) of its first line."""
    found = re.findall(
        r'<text class="chart-label chart-(\w+)-label" x="([\d.]+)" y="([\d.-]+)"', svg
    )
    return {name: (float(x), float(y)) for name, x, y in found}


def _plotted_x(svg: str) -> list[float]:
    points = re.search(r'class="chart-measured" points="([^"]+)"', svg).group(1)
    lines = re.findall(r'<line class="chart-\w+" x1="([\d.]+)" x2="([\d.]+)"', svg)
    return [float(p.split(",")[0]) for p in points.split()] + [float(x) for x2 in lines for x in x2]


def test_baseline_and_target_labels_sit_right_of_every_line_and_point():
    outcome = _outcome("10", "20")
    svg = outcome_chart_svg(outcome, [_measurement("10", date(2027, 1, 1))])
    labels = _labels(svg)
    assert set(labels) == {"baseline", "target"}
    assert max(_plotted_x(svg)) <= PLOT_RIGHT
    for x, y in labels.values():
        assert PLOT_RIGHT < x < WIDTH and 0 < y < HEIGHT


def test_labels_of_close_baseline_and_target_do_not_overlap():
    svg = outcome_chart_svg(_outcome("10", "10.5"), [_measurement("50", date(2026, 1, 1))])
    labels = _labels(svg)
    assert abs(labels["baseline"][1] - labels["target"][1]) >= 30
    assert labels["target"][1] < labels["baseline"][1]  # the higher value is labelled higher
    for _x, y in labels.values():
        assert y - 13 > 0 and y + 15 < HEIGHT


def test_chart_keeps_its_accessible_name_and_description():
    svg = outcome_chart_svg(_outcome("10", "20"), [])
    assert 'role="img"' in svg and 'aria-labelledby="chart-1-t chart-1-d"' in svg
    assert '<title id="chart-1-t">' in svg and "No measurements yet." in svg
    assert ">Baseline</tspan>" in svg and ">Target</tspan>" in svg
