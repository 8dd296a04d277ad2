"""The pages of lessons learned, as the axe and keyboard tests visit them."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Case
from tests.browser.pages import PageType, submit_main_form_empty


def _asked(demo) -> str:  # type: ignore[no-untyped-def]
    """The demo's case in evaluation, whose coordinator (maja) is asked for lessons."""
    case = Case.objects.get(title="Samordnat stöd till äldre i Malmö")
    return reverse("lesson_record", args=[case.reference])


def _asked_case(demo) -> str:  # type: ignore[no-untyped-def]
    case = Case.objects.get(title="Samordnat stöd till äldre i Malmö")
    return reverse("case_detail", args=[case.reference])


def _lesson(demo) -> str:  # type: ignore[no-untyped-def]
    case = Case.objects.get(title="Trygga unga i Malmö")
    return reverse("lesson_detail", args=[case.lessons.order_by("pk").first().pk])


def _errors(page) -> None:  # type: ignore[no-untyped-def]
    submit_main_form_empty(page, field="way_of_working")


PAGE_TYPES_LESSONS = [
    PageType("lesson-library", "anna", lambda d: reverse("lesson_library")),
    PageType("lesson-library-search", "anna", lambda d: reverse("lesson_library") + "?q=samverkan"),
    PageType("lesson-library-public", None, lambda d: reverse("lesson_library")),
    PageType("lesson-detail", "anna", _lesson),
    PageType("case-asking-for-lessons", "maja", _asked_case),
    PageType("lesson-form", "maja", _asked),
    PageType("lesson-form-errors", "maja", _asked, prepare=_errors),
]
