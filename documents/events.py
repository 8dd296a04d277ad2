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


def register() -> None:
    for kind, line in (
        (EventKind.ATTACHMENT_ADDED, _added),
        (EventKind.ATTACHMENT_REPLACED, _replaced),
        (EventKind.ATTACHMENT_REMOVED, _removed),
    ):
        message_register(kind, messages.Kind(line))
        path_register(kind, _path)
        recipients_register(kind, _action_assignee)
