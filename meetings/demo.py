"""The meetings of the demo: two past meetings with adjusted minutes and one coming meeting.

The decisions app finds the past meetings by their titles (PAST_MEETING_TITLES)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.models import Case

from . import services
from .choices import ItemKind
from .models import Meeting

PAST_MEETING_TITLES = ("Kommittésammanträde 1", "Kommittésammanträde 2")
COMING_MEETING_TITLE = "Kommittésammanträde 3"
PLACE = "Rosenbad, sal 3"


def _at(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(13, 0)))


def _past_meeting(users: dict, title: str, days_ago: int, cases: list[Case]) -> Meeting:
    """Its agenda, attendance, and minutes adjusted by the committee."""
    anna, carl = users["anna"], users["carl"]
    starts = _at(-days_ago)
    meeting = services.meeting_create(
        actor=anna, title=title, starts_at=starts, ends_at=starts + timedelta(hours=2), place=PLACE
    )
    items = [
        services.agenda_item_add(
            actor=carl,
            meeting=meeting,
            case=case,
            kind=ItemKind.STATUS_REPORT,
            title=f"Lägesrapport: {case.title}",
        )
        for case in cases
    ]
    items.append(
        services.agenda_item_add(
            actor=anna, meeting=meeting, kind=ItemKind.OTHER, title="Övriga frågor"
        )
    )
    # The agenda went out a week before the meeting. `agenda_send` refuses a meeting that has
    # started (and would email every member today), so the demo writes that past fact as it was.
    Meeting.objects.filter(pk=meeting.pk).update(agenda_sent_at=starts - timedelta(days=7))
    services.meeting_update(
        actor=carl, meeting=meeting, data={}, present_members=list(meeting.expected_members.all())
    )
    for item in items:
        version = services.minutes_write(
            actor=carl,
            item=item,
            text="Lägesrapporten lades till handlingarna."
            if item.case_id
            else "Inga övriga frågor.",
        )
        services.minutes_adjust(actor=anna, version=version)
    return meeting


def load_meetings_demo(users: dict, orgs: dict) -> None:
    cases = list(Case.objects.filter(coordinator=users["carl"]).order_by("id")[:2])
    _past_meeting(users, PAST_MEETING_TITLES[0], 63, cases[:1])
    _past_meeting(users, PAST_MEETING_TITLES[1], 28, cases)
    coming = services.meeting_create(
        actor=users["anna"],
        title=COMING_MEETING_TITLE,
        starts_at=_at(14),
        ends_at=_at(14) + timedelta(hours=2),
        place=PLACE,
        link="https://meet.example/samverkan",
    )
    if cases:
        services.agenda_item_propose(
            actor=users["carl"],
            meeting=coming,
            case=cases[0],
            kind=ItemKind.PROPOSAL,
            title=f"Förslag till beslut: {cases[0].title}",
            description="Kommittén föreslås ge kansliet i uppdrag att samordna uppföljningen.",
        )
