"""How the meetings' events travel through the notification pipeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Organisation
from cases.access import users_who_can_view_case
from cases.models import Case
from notifications.choices import EventKind
from notifications.messages import Kind, actor_name
from notifications.models import Event
from notifications.registry import (
    EmailExtra,
    email_extra_register,
    message_register,
    path_register,
    recipients_register,
    webhook_organisations_register,
)

from . import access
from .calendar import agenda_lines, meeting_invitation
from .models import Meeting
from .selectors import agenda_for_email


def _meeting(event: Event) -> Meeting | None:
    return Meeting.objects.filter(pk=event.object_id).first() if event.object_id else None


def _expected_members(event: Event) -> set[int]:
    """The members expected at the meeting who may still see meetings."""
    meeting = _meeting(event)
    if meeting is None:
        return set()
    members = meeting.expected_members.filter(is_active=True)
    case = Case.objects.filter(pk=(event.payload or {}).get("case") or 0).first()
    if case is not None:  # minutes of an item about a case: only who may see the case
        members = users_who_can_view_case(case, members)
    return {user.pk for user in members if access.can_view_meetings(user)}


def _path(event: Event) -> str:
    return reverse("meeting_detail", kwargs={"pk": event.object_id})


def _when(payload: dict[str, Any]) -> str:
    try:
        starts = datetime.fromisoformat(payload.get("starts_at") or "")
    except ValueError:
        return ""
    return date_format(timezone.localtime(starts), "SHORT_DATETIME_FORMAT")


def _agenda_sent_line(event: Event, payload: dict[str, Any]) -> str:
    return _("Agenda sent for “%(title)s” on %(when)s") % {
        "title": payload.get("title", ""),
        "when": _when(payload),
    }


def _minutes_adjusted_line(event: Event, payload: dict[str, Any]) -> str:
    return _("%(actor)s adjusted the minutes of “%(item)s” (%(title)s)") % {
        "actor": actor_name(event),
        "item": payload.get("item_title", ""),
        "title": payload.get("title", ""),
    }


def _agenda_email(event: Event, recipient: Any) -> EmailExtra:
    """The agenda as the recipient may read it, and the meeting's invitation (.ics)."""
    meeting = _meeting(event)
    if meeting is None:
        return EmailExtra()
    items = [item for item in agenda_for_email(meeting) if access.can_view_item(recipient, item)]
    return EmailExtra(
        details=[_("Agenda") + ":", *agenda_lines(items)],
        attachments=[
            (
                "kallelse.ics",
                meeting_invitation(meeting, items, recipient.email),
                "text/calendar; method=REQUEST; charset=utf-8",
            )
        ],
    )


def _secretariat_organisation(event: Event) -> set[int]:
    """The secretariat's own systems hear of agendas and minutes through its webhook endpoints
    (the payload names the meeting only: no case, no person)."""
    named = Organisation.objects.filter(name=settings.SECRETARIAT_ORGANISATION)
    return set(named.values_list("pk", flat=True))


def register() -> None:
    for kind in (EventKind.MEETING_AGENDA_SENT, EventKind.MEETING_MINUTES_ADJUSTED):
        recipients_register(kind, _expected_members)
        path_register(kind, _path)
        webhook_organisations_register(kind, _secretariat_organisation)
    message_register(EventKind.MEETING_AGENDA_SENT, Kind(_agenda_sent_line))
    message_register(EventKind.MEETING_MINUTES_ADJUSTED, Kind(_minutes_adjusted_line))
    email_extra_register(EventKind.MEETING_AGENDA_SENT, _agenda_email)
