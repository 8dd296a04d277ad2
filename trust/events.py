"""The trust self-assessment's events in the notification pipeline: their lines, their links and
who receives them beyond the case's usual recipients."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.choices import MembershipRole
from agencies.models import Membership
from cases.models import Participation
from notifications.choices import EventKind
from notifications.messages import Kind
from notifications.models import Event
from notifications.registry import message_register, path_register, recipients_register


def _day(payload: dict[str, Any]) -> str:
    try:
        moment = datetime.fromisoformat(payload.get("deadline", ""))
    except (TypeError, ValueError):
        return ""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()


def _opened(event: Event, payload: dict[str, Any]) -> str:
    return _("Trust self-assessment round %(number)s opened: answer by %(deadline)s") % {
        "number": payload.get("number", ""),
        "deadline": _day(payload),
    }


def _reminder(event: Event, payload: dict[str, Any]) -> str:
    return _(
        "Reminder: %(organisation)s has not answered trust self-assessment round %(number)s; "
        "the last day is %(deadline)s"
    ) % {
        "organisation": payload.get("organisation_name", ""),
        "number": payload.get("number", ""),
        "deadline": _day(payload),
    }


def _closed(event: Event, payload: dict[str, Any]) -> str:
    return _(
        "Trust self-assessment round %(number)s closed: %(answered)s of %(asked)s organisations "
        "answered"
    ) % {
        "number": payload.get("number", ""),
        "answered": payload.get("answered", 0),
        "asked": payload.get("asked", 0),
    }


def _case_trust_path(event: Event) -> str:
    if event.case is None:
        return reverse("inbox")
    return reverse("case_trust", kwargs={"reference": event.case.reference})


def _asked_organisation_ids(payload: dict[str, Any]) -> list[int]:
    single = payload.get("organisation")
    many = payload.get("organisations") or []
    found = [single] if isinstance(single, int) else many
    return [pk for pk in found if isinstance(pk, int)]


def _asked_people(event: Event) -> set[int]:
    """The admins and the case's contact person of each organisation asked: they answer for it
    or see that someone does."""
    organisations = _asked_organisation_ids(event.payload or {})
    if not organisations:
        return set()
    admins = Membership.objects.filter(
        organisation_id__in=organisations, role=MembershipRole.ADMIN
    ).values_list("user_id", flat=True)
    contacts = Participation.objects.filter(
        case_id=event.case_id, organisation_id__in=organisations, contact_person__isnull=False
    ).values_list("contact_person_id", flat=True)
    return {*admins, *contacts}


def _committee(event: Event) -> set[int]:
    members = get_user_model().objects.filter(
        Q(groups__name=settings.COMMITTEE_GROUP), is_active=True
    )
    return set(members.values_list("pk", flat=True))


def register() -> None:
    message_register(EventKind.TRUST_ROUND_OPENED, Kind(_opened))
    message_register(EventKind.TRUST_ROUND_REMINDER, Kind(_reminder))
    message_register(EventKind.TRUST_ROUND_CLOSED, Kind(_closed))
    recipients_register(EventKind.TRUST_ROUND_OPENED, _asked_people)
    recipients_register(EventKind.TRUST_ROUND_REMINDER, _asked_people)
    recipients_register(EventKind.TRUST_ROUND_CLOSED, _committee)
    for kind in (
        EventKind.TRUST_ROUND_OPENED,
        EventKind.TRUST_ROUND_REMINDER,
        EventKind.TRUST_ROUND_CLOSED,
    ):
        path_register(kind, _case_trust_path)
