"""iCalendar documents: a meeting's invitation (sent with its agenda) and a person's feed."""

from __future__ import annotations

from datetime import date, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from cases.models import Action

from .models import AgendaItem, Meeting

PRODID = "-//Samverkan//Samverkan//SV"
DEFAULT_LENGTH = timedelta(hours=2)


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def agenda_lines(items: list[AgendaItem]) -> list[str]:
    """The agenda as numbered lines: "1. SAM-2026-0001 Title (Status report)"."""
    lines = []
    for number, item in enumerate(items, start=1):
        reference = f"{item.case.reference} " if item.case_id else ""
        lines.append(f"{number}. {reference}{item.title} ({item.get_kind_display()})")
    return lines


def _meeting_event(meeting: Meeting, description: str = "") -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", timezone.now())
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    location = meeting.place or meeting.link
    if location:
        event.add("location", location)
    url = f"{settings.SITE_URL}{reverse('meeting_detail', kwargs={'pk': meeting.pk})}"
    event.add("url", url)
    text = "\n".join(filter(None, [description, meeting.link, url]))
    event.add("description", text)
    return event


def meeting_invitation(meeting: Meeting, items: list[AgendaItem], recipient_email: str) -> bytes:
    """A REQUEST for one member: calendars offer to accept it and replace an earlier one."""
    calendar = _calendar("REQUEST")
    event = _meeting_event(meeting, "\n".join([_("Agenda") + ":", *agenda_lines(items)]))
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText("Samverkan")
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{recipient_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def _action_event(action: Action) -> Event:
    event = Event()
    event.add("uid", f"action-{action.pk}@samverkan")
    event.add("dtstamp", timezone.now())
    due: date = action.due_date  # type: ignore[assignment]
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", _("Due: %(title)s") % {"title": action.title})
    url = f"{settings.SITE_URL}{reverse('action_detail', kwargs={'pk': action.pk})}"
    event.add("description", f"{action.case.reference} {action.case.title}\n{url}")
    event.add("url", url)
    return event


def personal_feed(actions: list[Action], meetings: list[Meeting]) -> bytes:
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Samverkan")
    for action in actions:
        calendar.add_component(_action_event(action))
    for meeting in meetings:
        calendar.add_component(_meeting_event(meeting))
    return calendar.to_ical()
