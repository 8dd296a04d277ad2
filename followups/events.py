"""The effect follow-ups' events in the notification pipeline: their lines, links and readers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.choices import MembershipRole
from agencies.models import Membership
from cases.choices import ParticipationRole, ParticipationState
from cases.models import Participation
from notifications.choices import EventKind
from notifications.messages import Kind
from notifications.models import Event
from notifications.registry import message_register, path_register, recipients_register


def _values(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": payload.get("outcome_title", ""),
        "months": payload.get("months", ""),
        "date": payload.get("due_on", ""),
    }


def _due(event: Event, payload: dict[str, Any]) -> str:
    return _("The %(months)s-month follow-up value of “%(title)s” is due (%(date)s)") % _values(
        payload
    )


def _overdue(event: Event, payload: dict[str, Any]) -> str:
    return _(
        "The %(months)s-month follow-up value of “%(title)s” is overdue (due %(date)s)"
    ) % _values(payload)


def _path(event: Event) -> str:
    if event.case is None:
        return reverse("inbox")
    return reverse("case_detail", kwargs={"reference": event.case.reference}) + "#effects"


def lead_recipients(event: Event) -> set[int]:
    """The lead organisations' contact persons on the case and their admins (the coordinator
    and the case's followers hear of every event of the case anyway)."""
    leads = Participation.objects.filter(
        case_id=event.case_id, state=ParticipationState.ACTIVE, role=ParticipationRole.LEAD
    )
    contacts = set(
        leads.filter(contact_person__isnull=False).values_list("contact_person_id", flat=True)
    )
    admins = Membership.objects.filter(
        Q(role=MembershipRole.ADMIN), organisation_id__in=leads.values("organisation_id")
    ).values_list("user_id", flat=True)
    return contacts | set(admins)


def register() -> None:
    message_register(EventKind.FOLLOWUP_DUE, Kind(_due))
    message_register(EventKind.FOLLOWUP_OVERDUE, Kind(_overdue))
    for kind in (EventKind.FOLLOWUP_DUE, EventKind.FOLLOWUP_OVERDUE):
        path_register(kind, _path)
        recipients_register(kind, lead_recipients)
