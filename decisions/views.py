"""The register of decisions, a decision's page, and recording a decision from a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import access
from cases import selectors as case_selectors
from cases.models import Case
from cases.views.common import call_service, paginate, query_without_page

from . import selectors, services
from .forms import DecisionFilterForm, DecisionForm


def _filtered_case(request: HttpRequest, reference: str) -> Case | None:
    """The case named by the filter, if the visitor may see it (else a case with no decisions:
    an unknown and a hidden reference read the same)."""
    case = case_selectors.case_list_for_user(request.user).filter(reference=reference).first()
    return case if case is not None else Case(pk=0)


def _filters(request: HttpRequest) -> tuple[DecisionFilterForm, int | None, Case | None]:
    form = DecisionFilterForm(request.GET or None)
    year, case = None, None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        reference = form.cleaned_data["case"].strip().upper()
        case = _filtered_case(request, reference) if reference else None
    return form, year, case


def filters_from(request: HttpRequest) -> tuple[int | None, Case | None]:
    """The register's year and case filters as the page reads them (the export uses them)."""
    _form, year, case = _filters(request)
    return year, case


def decision_list(request: HttpRequest) -> HttpResponse:
    """Every decision the visitor may read (only those on public cases without signing in),
    newest first, a page at a time, by year and case."""
    form, year, case = _filters(request)
    decisions = selectors.decision_list_for_user(request.user, year=year, case=case)
    context = {
        "form": form,
        "page": paginate(request, decisions),
        "query": query_without_page(request),
        "case": case if case is not None and case.pk else None,
    }
    return render(request, "decisions/decision_list.html", context)


def decision_detail(request: HttpRequest, year: int, number: int) -> HttpResponse:
    decision = selectors.decision_get_for_user(request.user, year=year, number=number)
    return render(request, "decisions/decision_detail.html", {"decision": decision})


@login_required
def decision_create(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    if not access.is_committee(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, case=case)
    if form.is_valid():
        decision = call_service(
            form, services.decision_take, actor=request.user, case=case, **form.service_data()
        )
        if decision is not None:
            messages.success(
                request, _("Decision %(reference)s was recorded.") % {"reference": decision}
            )
            return redirect("decision_detail", year=decision.year, number=decision.number)
    return render(request, "decisions/decision_form.html", {"form": form, "case": case})
