"""Citizens' experiences in the notification pipeline: their lines, links and recipients.

Payloads carry neither the contact e-mail nor, for a submission, the text: followers and the
participants' webhook endpoints receive the event, and nothing unmoderated may reach them.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import ParticipationState
from cases.models import Participation
from notifications.choices import EventKind
from notifications.messages import SHORT_TEXT, Kind, actor_name
from notifications.models import Event
from notifications.registry import message_register, path_register, recipients_register

from .choices import ExperienceKind


def short_text(text: Any) -> str:
    """One line, cut so the notification stays one line."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def _is_suggestion(payload: dict[str, Any]) -> bool:
    return payload.get("kind") == ExperienceKind.SUGGESTION


def _submitted(event: Event, payload: dict[str, Any]) -> str:
    if _is_suggestion(payload):
        return _("A member of the public made a suggestion; it waits for moderation")
    return _("A member of the public shared an experience; it waits for moderation")


def _published(event: Event, payload: dict[str, Any]) -> str:
    values = {
        "actor": actor_name(event),
        "excerpt": short_text(payload.get("excerpt", "")),
    }
    if _is_suggestion(payload):
        return _("%(actor)s published a suggestion from the public: “%(excerpt)s”") % values
    return _("%(actor)s published an experience from the public: “%(excerpt)s”") % values


def _queue_path(event: Event) -> str:
    if event.case is None:
        return reverse("experience_queue")
    return reverse("case_experience_queue", kwargs={"reference": event.case.reference})


def _public_path(event: Event) -> str:
    if event.case is None:
        return reverse("inbox")
    return reverse("case_experiences", kwargs={"reference": event.case.reference})


def _coordinator(event: Event) -> set[int]:
    """The case's coordinator moderates; followers hear of it by the usual rule."""
    coordinator = event.case.coordinator_id if event.case is not None else None
    return {coordinator} if coordinator else set()


def _participant_contacts(event: Event) -> set[int]:
    """The contact persons of the organisations taking part: the public spoke to them too."""
    if event.case_id is None:
        return set()
    rows = Participation.objects.filter(
        case_id=event.case_id, state=ParticipationState.ACTIVE, contact_person__isnull=False
    ).values_list("contact_person_id", flat=True)
    return set(rows)


def register() -> None:
    message_register(EventKind.EXPERIENCE_SUBMITTED, Kind(_submitted))
    message_register(EventKind.EXPERIENCE_PUBLISHED, Kind(_published))
    path_register(EventKind.EXPERIENCE_SUBMITTED, _queue_path)
    path_register(EventKind.EXPERIENCE_PUBLISHED, _public_path)
    recipients_register(EventKind.EXPERIENCE_SUBMITTED, _coordinator)
    recipients_register(EventKind.EXPERIENCE_PUBLISHED, _participant_contacts)
