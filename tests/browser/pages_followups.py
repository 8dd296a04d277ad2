"""The effect follow-ups' pages, as the axe and keyboard tests visit them: the demo's closed
case with its "Did the effect hold?" section, and the form of a due 12-month value."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Case
from followups.models import FollowUp
from tests.browser.pages import PageType, submit_main_form_empty


def _closed_case() -> Case:
    return Case.objects.get(title__startswith="Trygga skolvägar")


def _closed_case_page(demo) -> str:  # type: ignore[no-untyped-def]
    return reverse("case_detail", args=[_closed_case().reference])


def _report_form(demo) -> str:  # type: ignore[no-untyped-def]
    case = _closed_case()
    point = FollowUp.objects.filter(case=case, months=12).order_by("pk").first()
    return reverse("followup_report", args=[case.reference, point.pk])


PAGE_TYPES_FOLLOWUPS = [
    PageType("closed-case-effects", "malik", _closed_case_page),
    PageType("followup-report-form", "malik", _report_form),
    PageType(
        "followup-report-form-errors",
        "malik",
        _report_form,
        prepare=lambda page: submit_main_form_empty(page, "value"),
    ),
]
