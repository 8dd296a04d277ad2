"""The decision pages for the axe-core and keyboard checks (the demo has decisions)."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse

from decisions.models import Decision

from .pages import PageType, submit_main_form_empty


def _decision_path(demo: SimpleNamespace, revoked: bool) -> str:
    decision = Decision.objects.filter(revoked_by__isnull=not revoked).order_by("pk").first()
    return reverse("decision_detail", args=[decision.year, decision.number])


DECISION_PAGE_TYPES = [
    PageType("decision-register", "anna", lambda d: reverse("decision_list")),
    PageType("decision-register-public", None, lambda d: reverse("decision_list")),
    PageType(
        "decision-register-filtered",
        "carl",
        lambda d: f"{reverse('decision_list')}?year=x&case={d.youth.reference}",
    ),
    PageType("decision-page-revoked", "carl", lambda d: _decision_path(d, revoked=True)),
    PageType("decision-page", "anna", lambda d: _decision_path(d, revoked=False)),
    PageType(
        "decision-form", "anna", lambda d: reverse("decision_create", args=[d.youth.reference])
    ),
    PageType(
        "decision-form-errors",
        "anna",
        lambda d: reverse("decision_create", args=[d.youth.reference]),
        lambda page: submit_main_form_empty(page, "text"),
    ),
]
