"""Building the reports' PDFs: reads (reports/content.py, reports/portfolio.py), templates,
WeasyPrint. No writes here; the services store what this returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from cases.models import Case

from .choices import ReportKind
from .content import case_report_context, portfolio_page_context
from .models import Report
from .portfolio import portfolio_cases, portfolio_summary
from .rendering import html_to_pdf, render_html, render_in_parts

Progress = Callable[[int], None]


def case_report_pdf(viewer: Any, case: Case, language: str) -> tuple[bytes, int]:
    """The case report (lägesrapport) for a viewer who may see the case, and its page count."""
    html = render_html(
        "reports/case_report.html", case_report_context(viewer, case), viewer, language
    )
    return html_to_pdf(html)


def portfolio_size() -> int:
    return portfolio_cases().count()


def portfolio_at_once() -> bool:
    """Small enough to generate inside the request."""
    return portfolio_size() <= settings.REPORTS_AT_ONCE_MAX_CASES


def portfolio_report_pdf(
    viewer: Any, language: str, on_step: Progress | None = None
) -> tuple[bytes, int]:
    """The summary table, then one page per case; `on_step(n)` after each of the cases'
    pages and once more when the PDF is laid out (len(cases) + 1 steps)."""
    cases = list(portfolio_cases())
    summary = portfolio_summary(portfolio_cases())

    def summary_part() -> str:
        context = {"summary": summary, "case_count": len(cases)}
        return render_html("reports/portfolio_summary.html", context, viewer, language)

    def case_part(case: Case) -> Callable[[], str]:
        return lambda: render_html(
            "reports/portfolio_case.html", portfolio_page_context(viewer, case), viewer, language
        )

    body = render_in_parts([case_part(case) for case in cases], on_step)
    html = render_html(
        "reports/portfolio_report.html",
        {"summary_html": summary_part(), "cases_html": body},
        viewer,
        language,
    )
    result = html_to_pdf(html)
    if on_step is not None:
        on_step(len(cases) + 1)
    return result


def report_steps(report: Report) -> int:
    if report.kind == ReportKind.PORTFOLIO:
        return portfolio_size() + 1
    return 1


def report_build(report: Report, on_step: Progress) -> tuple[bytes, int]:
    viewer = report.requested_by
    if report.kind == ReportKind.PORTFOLIO:
        return portfolio_report_pdf(viewer, report.language, on_step)
    result = case_report_pdf(viewer, report.case, report.language)
    on_step(1)
    return result
