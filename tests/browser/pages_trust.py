"""The trust self-assessment's pages, as the axe and keyboard tests visit them."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.pages import PageType


def submit_without_scores(page: Page) -> None:
    """Petra's organisation has not answered: sending the form as it is shows every error."""
    form = page.locator("main form:has([name='trust_comment'])").first
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()


PAGE_TYPES_TRUST = [
    PageType("case-trust", "sara", lambda d: reverse("case_trust", args=[d.youth.reference])),
    PageType("trust-answer", "petra", lambda d: reverse("trust_answer", args=[d.youth.reference])),
    PageType(
        "trust-answer-errors",
        "petra",
        lambda d: reverse("trust_answer", args=[d.youth.reference]),
        prepare=submit_without_scores,
    ),
    PageType(
        "trust-interval", "carl", lambda d: reverse("trust_interval", args=[d.youth.reference])
    ),
    PageType("trust-overview", "anna", lambda d: reverse("trust_overview")),
]
