"""Citizens' experiences, as the axe and keyboard tests visit them: the public page with its
form (and its errors), and the moderation queues."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.pages import PageType, submit_main_form_empty


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
    PageType(
        "case-experience-queue",
        "anna",
        lambda d: reverse("case_experience_queue", args=[d.public.reference]),
    ),
    PageType("experience-queue", "anna", lambda d: reverse("experience_queue")),
]
