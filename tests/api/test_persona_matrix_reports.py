"""Persona matrix rows of the reports API (see tests/api/test_persona_matrix.py for the
personas): the case report follows the case's access; the portfolio report is the
committee's; a generated report is its requester's alone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from reports.choices import ReportKind, ReportState
from reports.models import Report
from tests.api.test_persona_matrix import (
    PERSONAS,
    Row,
    expect,
    row_response,
    world,  # noqa: F401 - the fixture the rows point into
    youth_read,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def reports_world(world: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    report = Report.objects.create(
        kind=ReportKind.PORTFOLIO, requested_by=world.anna, language="sv", state=ReportState.READY
    )
    report.file.save(f"{report.uuid}.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    world.anna_report = report
    return world


ROWS = [
    Row(
        "case report (restricted case)",
        "get",
        lambda w: f"/api/v1/cases/{w.youth.reference}/report/",
        youth_read(),
    ),
    Row(
        "case report (public case)",
        "get",
        lambda w: f"/api/v1/cases/{w.public.reference}/report/",
        expect(200),
    ),
    Row(
        "portfolio report request",
        "post",
        lambda w: "/api/v1/reports/portfolio/",
        expect(403, anna=202, eve=403, anonymous=401),
        lambda w: {"language": "en"},
    ),
    Row(
        "report status",
        "get",
        lambda w: f"/api/v1/reports/{w.anna_report.uuid}/",
        expect(404, anna=200, anonymous=401),
    ),
    Row(
        "report download",
        "get",
        lambda w: f"/api/v1/reports/{w.anna_report.uuid}/download/",
        expect(404, anna=200, anonymous=401),
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_persona_gets_the_status_the_rules_say(reports_world, api, row: Row, persona: str) -> None:
    response = row_response(api, reports_world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
