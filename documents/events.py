"""How attachment events read in the inbox and emails, where they point, and who hears of them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications import messages
from notifications.choices import EventKind
from notifications.models import Event
from notifications.registry import message_register, path_register, recipients_register

from .choices import OwnerKind


def _where(payload: dict[str, Any]) -> str:
    return payload.get("title") or payload.get("file_name") or ""


def _added(event: Event, payload: dict[str, Any]) -> str:
    return _("%(actor)s attached “%(title)s”") % {
        "actor": messages.actor_name(event),
        "title": _where(payload),
    }


def _replaced(event: Event, payload: dict[str, Any]) -> str:
    return _("%(actor)s saved version %(version)s of “%(title)s”") % {
        "actor": messages.actor_name(event),
        "version": payload.get("version", ""),
        "title": _where(payload),
    }


def _removed(event: Event, payload: dict[str, Any]) -> str:
    return _("%(actor)s removed the file “%(title)s”") % {
        "actor": messages.actor_name(event),
        "title": _where(payload),
    }


def _path(event: Event) -> str:
    payload = event.payload or {}
    if event.kind != EventKind.ATTACHMENT_REMOVED and event.object_id:
        return reverse("attachment_detail", kwargs={"pk": event.object_id})
    if payload.get("owner_kind") == OwnerKind.ACTION and payload.get("action"):
        return reverse("action_detail", kwargs={"pk": payload["action"]})
    if payload.get("owner_kind") == OwnerKind.AGENDA_ITEM and payload.get("agenda_item"):
        return reverse("item_minutes", kwargs={"pk": payload["agenda_item"]})
    if payload.get("owner_kind") == OwnerKind.MEETING and payload.get("meeting"):
        return reverse("meeting_detail", kwargs={"pk": payload["meeting"]})
    if event.case is not None:
        return reverse("case_detail", kwargs={"reference": event.case.reference})
    return reverse("inbox")


def _action_assignee(event: Event) -> set[int]:
    """A file on an action concerns its assignee too (the case's usual recipients get it)."""
    from cases.models import Action

    action_id = (event.payload or {}).get("action")
    if not action_id:
        return set()
    assignee = Action.objects.filter(pk=action_id).values_list("assignee_id", flat=True).first()
    return {assignee} if assignee else set()


def _meeting_members(event: Event) -> set[int]:
    """A meeting's file has no case: it goes to the members expected at the meeting who may
    still see meetings, and to nobody else."""
    from meetings import access as meeting_access
    from meetings.models import Meeting

    meeting_id = (event.payload or {}).get("meeting")
    if not meeting_id or event.case_id is not None:
        return set()
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return set()
    members = meeting.expected_members.filter(is_active=True)
    return {user.pk for user in members if meeting_access.can_view_meetings(user)}


def _recipients(event: Event) -> set[int]:
    return _action_assignee(event) | _meeting_members(event)


def register() -> None:
    for kind, line in (
        (EventKind.ATTACHMENT_ADDED, _added),
        (EventKind.ATTACHMENT_REPLACED, _replaced),
        (EventKind.ATTACHMENT_REMOVED, _removed),
    ):
        message_register(kind, messages.Kind(line))
        path_register(kind, _path)
        recipients_register(kind, _recipients)
