"""The reports' pages: the case report at once, the portfolio report (at once when small, in
the background when large), the progress page and the download."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases import selectors as case_selectors

from . import generation, services
from .choices import ReportKind, ReportState
from .rendering import report_language
from .selectors import report_get_for_user


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def case_report_filename(reference: str) -> str:
    return f"lagesrapport-{reference}.pdf"


def portfolio_filename() -> str:
    return f"portfolio-{timezone.localdate().isoformat()}.pdf"


def case_report(request: HttpRequest, reference: str) -> HttpResponse:
    """The case report (lägesrapport) as a PDF, in the reader's language (or `?language=`);
    the same access as the case page. Each section is cut to its first rows, so it is always
    small enough to generate at once."""
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    language = report_language(request.GET.get("language"))
    pdf, _pages = generation.case_report_pdf(request.user, case, language)
    return pdf_response(pdf, case_report_filename(case.reference))


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_report(request: HttpRequest) -> HttpResponse:
    """The committee's portfolio report: a page that explains it, and a button. A small
    portfolio is the PDF at once; a large one is generated in the background."""
    if not services.may_request_portfolio(request.user):
        raise Http404("No such page")
    if request.method == "GET":
        context = {"case_count": generation.portfolio_size()}
        return render(request, "reports/portfolio_form.html", context)
    language = report_language(request.POST.get("language"))
    if generation.portfolio_at_once():
        pdf, _pages = generation.portfolio_report_pdf(request.user, language)
        return pdf_response(pdf, portfolio_filename())
    report = services.report_request(
        user=request.user, kind=ReportKind.PORTFOLIO, language=language
    )
    return redirect("report_detail", uuid=report.uuid)


@login_required
def report_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A background report's progress; its download link once ready. Polled by htmx."""
    report = report_get_for_user(request.user, uuid=uuid)
    template = "reports/_report_status.html" if request.htmx else "reports/report_detail.html"
    return render(request, template, {"report": report, "states": ReportState})


@login_required
def report_download(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The stored PDF, for its requester; before it is ready (or after its removal), the
    report's page, which says why."""
    report = report_get_for_user(request.user, uuid=uuid)
    if report.state != ReportState.READY or not report.file:
        return redirect("report_detail", uuid=report.uuid)
    filename = (
        case_report_filename(report.case.reference)
        if report.kind == ReportKind.CASE
        else f"portfolio-{report.created_at.date().isoformat()}.pdf"
    )
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
