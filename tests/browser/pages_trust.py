"""The trust self-assessment's pages, as the axe and keyboard tests visit them."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.pages import PageType, submit_main_form_empty

PAGE_TYPES_TRUST = [
    PageType("case-trust", "sara", lambda d: reverse("case_trust", args=[d.youth.reference])),
    PageType("trust-answer", "petra", lambda d: reverse("trust_answer", args=[d.youth.reference])),
    PageType(
        "trust-answer-errors",
        "petra",
        lambda d: reverse("trust_answer", args=[d.youth.reference]),
        prepare=submit_main_form_empty,
    ),
    PageType(
        "trust-interval", "carl", lambda d: reverse("trust_interval", args=[d.youth.reference])
    ),
    PageType("trust-overview", "anna", lambda d: reverse("trust_overview")),
]
