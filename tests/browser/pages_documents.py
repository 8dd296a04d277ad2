"""Attachment pages for the axe and keyboard checks: the demo's files on Carl's school case, and
a decision and a meeting with a file (added here on first use, as the demo has none)."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import Page

from decisions.models import Decision
from documents import services
from documents.demo import DEMO_PDF
from documents.models import Attachment
from meetings.demo import COMING_MEETING_TITLE
from meetings.models import Meeting
from tests.browser.pages import PageType


def _routine(demo: SimpleNamespace) -> Attachment:
    return Attachment.objects.get(title="Närvarorutin för skolor och vård")


def _figures(demo: SimpleNamespace) -> Attachment:
    return Attachment.objects.get(title="Frånvaro per skola, hösten")


DECISION_FILE_TITLE = "Beslutsunderlag"
MEETING_FILE_TITLE = "Kallelse med handlingar"


def _with_file(owner: Decision | Meeting, actor: object, title: str) -> None:
    if not Attachment.objects.filter(title=title).exists():
        services.attachment_add(
            actor=actor, owner=owner, title=title, file=ContentFile(DEMO_PDF, name="underlag.pdf")
        )


def _decision_with_file(demo: SimpleNamespace) -> str:
    decision = Decision.objects.filter(revoked_by__isnull=True).order_by("pk").first()
    _with_file(decision, demo.anna, DECISION_FILE_TITLE)
    return reverse("decision_detail", args=[decision.year, decision.number])


def _meeting_with_file(demo: SimpleNamespace) -> str:
    meeting = Meeting.objects.get(title=COMING_MEETING_TITLE)
    _with_file(meeting, demo.carl, MEETING_FILE_TITLE)
    return reverse("meeting_detail", args=[meeting.pk])


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
    PageType("decision-with-files", "anna", _decision_with_file),
    PageType("meeting-with-files", "carl", _meeting_with_file),
]
