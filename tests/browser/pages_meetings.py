"""The meetings' pages, for the axe and keyboard checks."""

from __future__ import annotations

from django.urls import reverse

from meetings.demo import COMING_MEETING_TITLE, PAST_MEETING_TITLES
from meetings.models import AgendaItem, Meeting
from tests.browser.pages import PageType, submit_main_form_empty


def _meeting(title: str) -> int:
    return Meeting.objects.get(title=title).pk


def _item(title: str) -> int:
    return AgendaItem.objects.filter(meeting__title=title).order_by("position", "pk").first().pk


def _detail(title: str):  # type: ignore[no-untyped-def]
    return lambda d: reverse("meeting_detail", args=[_meeting(title)])


PAGE_TYPES = [
    PageType("meeting-list", "anna", lambda d: reverse("meeting_list")),
    PageType("meeting-coming", "anna", _detail(COMING_MEETING_TITLE)),
    PageType("meeting-past-with-minutes", "carl", _detail(PAST_MEETING_TITLES[1])),
    PageType("meeting-new", "anna", lambda d: reverse("meeting_create")),
    PageType(
        "meeting-new-errors",
        "anna",
        lambda d: reverse("meeting_create"),
        lambda page: submit_main_form_empty(page, "title"),
    ),
    PageType(
        "agenda-item-add",
        "carl",
        lambda d: reverse("agenda_item_add", args=[_meeting(COMING_MEETING_TITLE)]),
    ),
    PageType(
        "agenda-item-propose",
        "carl",
        lambda d: f"{reverse('agenda_item_propose')}?case={d.youth.reference}",
    ),
    PageType(
        "minutes-correction",
        "anna",
        lambda d: reverse("item_minutes", args=[_item(PAST_MEETING_TITLES[0])]),
    ),
    PageType("calendar-feed-settings", "sara", lambda d: reverse("calendar_settings")),
    PageType("meeting-hidden-from-partner", "petra", lambda d: reverse("meeting_list"), status=404),
]
