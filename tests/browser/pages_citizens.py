"""Citizens' experiences, as the axe and keyboard tests visit them: the public page with its
form (and its errors), and the moderation queues."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.pages import PageType, submit_main_form_empty


def _over_the_limit(page: Page) -> None:
    """Send until the limit per address answers with its page (429)."""
    for n in range(6):
        page.locator("main [name='text']").fill(f"Erfarenhet {n}")
        with page.expect_navigation():
            page.locator("main form:has([name='text']) [type=submit]").click()
        if page.locator("main [name='text']").count() == 0:
            return
    raise AssertionError("the limit per address never answered")


def _share(d) -> str:  # type: ignore[no-untyped-def]
    return reverse("case_experiences", args=[d.public.reference])


PAGE_TYPES_CITIZENS = [
    PageType("case-experiences", None, _share),
    PageType(
        "case-experiences-errors",
        None,
        _share,
        prepare=lambda page: submit_main_form_empty(page, "text"),
    ),
    PageType("experiences-throttled", None, _share, prepare=_over_the_limit),
    PageType(
        "case-experience-queue",
        "anna",
        lambda d: reverse("case_experience_queue", args=[d.public.reference]),
    ),
    PageType("experience-queue", "anna", lambda d: reverse("experience_queue")),
]
