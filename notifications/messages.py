"""What a notification says and where it points, in the active language.

Messages are rendered when read (inbox, email), not stored, so each reader gets their language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import ActionStatus, CaseStatus, Visibility
from cases.formatting import format_payload_figure

from .choices import EventKind
from .models import Event, Notification


def _label(choices: Any, value: str | None) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _actor(event: Event) -> str:
    if event.actor is None:
        return "Samverkan"
    return event.actor.get_full_name() or event.actor.get_username()


def _title(p: dict[str, Any]) -> str:
    return p.get("title") or p.get("outcome_title") or ""


def _case_updated(event: Event, p: dict[str, Any]) -> str:
    """A committee decision (visibility, coordination) says what was decided and why."""
    values = {"actor": _actor(event), "reason": p.get("reason", "")}
    if "visibility" in p:
        if p["visibility"][-1] == Visibility.PUBLIC:
            return _("%(actor)s made the case public: %(reason)s") % values
        return _("%(actor)s made the case restricted: %(reason)s") % values
    if "coordinator" in p:
        return _("%(actor)s handed the coordination of the case over: %(reason)s") % values
    return _("%(actor)s changed the case.") % values


MESSAGES: dict[str, Callable[[Event, dict[str, Any]], str]] = {
    EventKind.CASE_CREATED: lambda e, p: (
        _("%(actor)s registered the case “%(title)s”.") % {"actor": _actor(e), "title": _title(p)}
    ),
    EventKind.CASE_UPDATED: lambda e, p: _case_updated(e, p),
    EventKind.CASE_STATUS_CHANGED: lambda e, p: (
        _("%(actor)s moved the case from “%(old)s” to “%(new)s”: %(reason)s")
        % {
            "actor": _actor(e),
            "old": _label(CaseStatus, p.get("from")),
            "new": _label(CaseStatus, p.get("to")),
            "reason": p.get("reason", ""),
        }
    ),
    EventKind.PARTICIPATION_INVITED: lambda e, p: (
        _("%(actor)s invited %(org)s to the case.")
        % {"actor": _actor(e), "org": p.get("organisation_name", "")}
    ),
    EventKind.PARTICIPATION_ACCEPTED: lambda e, p: (
        _("%(org)s accepted the invitation.") % {"org": p.get("organisation_name", "")}
    ),
    EventKind.PARTICIPATION_DECLINED: lambda e, p: (
        _("%(org)s declined the invitation.") % {"org": p.get("organisation_name", "")}
    ),
    EventKind.INVITATION_WITHDRAWN: lambda e, p: (
        _("The invitation of %(org)s was withdrawn: %(reason)s")
        % {"org": p.get("organisation_name", ""), "reason": p.get("reason", "")}
    ),
    EventKind.PARTICIPATION_WITHDRAWN: lambda e, p: (
        _("%(org)s withdrew from the case.") % {"org": p.get("organisation_name", "")}
    ),
    EventKind.ACTION_CREATED: lambda e, p: (
        _("%(actor)s added the action “%(title)s”.") % {"actor": _actor(e), "title": _title(p)}
    ),
    EventKind.ACTION_ASSIGNED: lambda e, p: (
        _("%(actor)s assigned the action “%(title)s”.") % {"actor": _actor(e), "title": _title(p)}
    ),
    EventKind.ACTION_STATUS_CHANGED: lambda e, p: (
        _("%(actor)s moved the action “%(title)s” from “%(old)s” to “%(new)s”.")
        % {
            "actor": _actor(e),
            "title": _title(p),
            "old": _label(ActionStatus, p.get("from")),
            "new": _label(ActionStatus, p.get("to")),
        }
    ),
    EventKind.ACTION_BLOCKED: lambda e, p: (
        _("The action “%(title)s” is blocked.") % {"title": _title(p)}
    ),
    EventKind.ACTION_UNBLOCKED: lambda e, p: (
        _("“%(blocking)s” is done: the action “%(title)s” no longer waits for it.")
        % {"blocking": p.get("blocking_title", ""), "title": _title(p)}
    ),
    EventKind.ACTION_UPDATE_POSTED: lambda e, p: (
        _("%(actor)s reported progress on “%(title)s”: %(text)s")
        % {"actor": _actor(e), "title": _title(p), "text": p.get("text", "")}
    ),
    EventKind.ACTION_OVERDUE: lambda e, p: (
        _("The action “%(title)s” was due on %(due)s.")
        % {"title": _title(p), "due": p.get("due_date", "")}
    ),
    EventKind.MEASUREMENT_REPORTED: lambda e, p: (
        _("%(actor)s reported %(value)s for “%(title)s”.")
        % {"actor": _actor(e), "value": format_payload_figure(p), "title": _title(p)}
    ),
    EventKind.OUTCOME_TARGET_REACHED: lambda e, p: (
        _("The target of “%(title)s” is reached (%(value)s).")
        % {"title": _title(p), "value": format_payload_figure(p)}
    ),
    EventKind.OUTCOME_TARGET_NO_LONGER_REACHED: lambda e, p: (
        _("The target of “%(title)s” is no longer reached (now %(value)s).")
        % {"title": _title(p), "value": format_payload_figure(p) or "–"}
    ),
    EventKind.OUTCOME_ARCHIVED: lambda e, p: (
        _("%(actor)s archived the outcome “%(title)s”: %(reason)s")
        % {"actor": _actor(e), "title": _title(p), "reason": p.get("reason", "")}
    ),
    EventKind.OUTCOME_REMOVED: lambda e, p: (
        _("%(actor)s removed the outcome “%(title)s” and its unapproved values: %(reason)s")
        % {"actor": _actor(e), "title": _title(p), "reason": p.get("reason", "")}
    ),
    EventKind.MEASUREMENT_APPROVED: lambda e, p: (
        _("%(actor)s approved %(value)s for “%(title)s”; it counts from now on.")
        % {"actor": _actor(e), "value": format_payload_figure(p), "title": _title(p)}
    ),
    EventKind.MEASUREMENT_RETURNED: lambda e, p: (
        _("%(actor)s returned %(value)s for “%(title)s”: %(comment)s")
        % {
            "actor": _actor(e),
            "value": format_payload_figure(p),
            "title": _title(p),
            "comment": p.get("comment", ""),
        }
    ),
    EventKind.MEASUREMENT_CORRECTED: lambda e, p: (
        _("%(actor)s corrected a value for “%(title)s”: %(old)s → %(new)s (%(reason)s)")
        % {
            "actor": _actor(e),
            "title": _title(p),
            "old": format_payload_figure(p, "old_value"),
            "new": format_payload_figure(p),
            "reason": p.get("reason", ""),
        }
    ),
    EventKind.MEASUREMENT_WITHDRAWN: lambda e, p: (
        _("%(actor)s withdrew %(value)s for “%(title)s”: %(reason)s")
        % {
            "actor": _actor(e),
            "value": format_payload_figure(p),
            "title": _title(p),
            "reason": p.get("reason", ""),
        }
    ),
}


def event_message(event: Event) -> str:
    """One line saying what happened, in the active language."""
    render = MESSAGES.get(event.kind)
    if render is None:
        return str(event.get_kind_display())
    return render(event, event.payload or {})


# An invitation and its answers are read on the invitation's page: the invited organisation
# sees the case's overview there, the case's manager the answer to acknowledge.
INVITATION_PAGE_KINDS = {
    EventKind.PARTICIPATION_INVITED,
    EventKind.PARTICIPATION_ACCEPTED,
    EventKind.PARTICIPATION_DECLINED,
}


def event_path(event: Event) -> str:
    """Where the item is shown in the web UI: the action's page, or the case page's section."""
    if event.case is None:
        return reverse("inbox")
    if event.object_type == "action" and event.object_id:
        return reverse("action_detail", kwargs={"pk": event.object_id})
    case_path = reverse("case_detail", kwargs={"reference": event.case.reference})
    payload = event.payload or {}
    if event.object_type == "outcome" and event.object_id:
        return f"{case_path}#outcome-{event.object_id}"
    if event.object_type == "measurement" and payload.get("outcome"):
        return f"{case_path}#outcome-{payload['outcome']}"
    if event.kind in INVITATION_PAGE_KINDS and event.object_id:
        return reverse("invitation_answer", kwargs={"pk": event.object_id})
    if event.kind == EventKind.INVITATION_WITHDRAWN:
        return reverse("inbox")  # the invitation is gone; the message says why
    if event.object_type == "participation":
        return f"{case_path}#participants"
    return case_path


def no_access_message() -> str:
    """What an old notification says about a case its reader may no longer see: nothing from
    the case, not even its title or reference."""
    return _("A case you no longer have access to")


def notification_message(notification: Notification) -> str:
    """The event's message, unless the reader may no longer read its case (`case_readable`,
    annotated by the inbox selector)."""
    if not notification.case_readable:
        return no_access_message()
    return event_message(notification.event)


def notification_path(notification: Notification) -> str:
    """Where the notification points: nowhere into a case its reader may no longer read."""
    if not notification.case_readable:
        return reverse("inbox")
    return event_path(notification.event)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def preferences_path() -> str:
    return reverse("notification_preferences")
