"""The reports' pages for the axe and keyboard checks: the portfolio report's form and a
background report's progress page (while it runs, and once ready)."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse

from reports.choices import ReportKind, ReportState
from reports.models import Report
from tests.browser.pages import PageType


def _report_path(state: str) -> object:
    def path(demo: SimpleNamespace) -> str:
        report = Report.objects.create(
            kind=ReportKind.PORTFOLIO,
            requested_by=demo.anna,
            language="sv",
            state=state,
            steps_total=5,
            steps_done=2,
            page_count=6 if state == ReportState.READY else None,
        )
        return reverse("report_detail", args=[report.uuid])

    return path


REPORT_PAGE_TYPES = [
    PageType("portfolio-report-form", "anna", lambda d: reverse("portfolio_report")),
    PageType("report-progress", "anna", _report_path(ReportState.RUNNING)),  # type: ignore[arg-type]
    PageType("report-ready", "anna", _report_path(ReportState.READY)),  # type: ignore[arg-type]
]
