"""Attachment pages for the axe and keyboard checks: the demo's files on Carl's school case."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse
from playwright.sync_api import Page

from documents.models import Attachment
from tests.browser.pages import PageType


def _routine(demo: SimpleNamespace) -> Attachment:
    return Attachment.objects.get(title="Närvarorutin för skolor och vård")


def _figures(demo: SimpleNamespace) -> Attachment:
    return Attachment.objects.get(title="Frånvaro per skola, hösten")


def submit_attachment_without_title_or_file(page: Page) -> None:
    """Submit the form empty: the errors stand by the title and by the file."""
    form = page.locator("main form:has([name='file'])").first
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("[name='title']").fill("")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()


def _add_path(demo: SimpleNamespace) -> str:
    return reverse("attachment_add", kwargs={"kind": "case", "pk": _routine(demo).case_id})


PAGE_TYPES = [
    PageType(
        "attachment-list",
        "carl",
        lambda d: reverse("attachment_list", kwargs={"kind": "case", "pk": _routine(d).case_id}),
    ),
    PageType(
        "attachment-detail", "carl", lambda d: reverse("attachment_detail", args=[_routine(d).pk])
    ),
    PageType("attachment-add", "carl", _add_path),
    PageType("attachment-add-errors", "carl", _add_path, submit_attachment_without_title_or_file),
    PageType(
        "attachment-replace",
        "carl",
        lambda d: reverse("attachment_replace", args=[_routine(d).pk]),
    ),
    PageType(
        "attachment-remove", "carl", lambda d: reverse("attachment_remove", args=[_routine(d).pk])
    ),
    PageType(
        "action-with-files",
        "rita",
        lambda d: reverse("action_detail", args=[_figures(d).action_id]),
    ),
]
