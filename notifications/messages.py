"""What a notification says and where it points, in the active language.

Every line names the thing and the change ("Polismyndigheten was invited as partner",
"Active → On hold: reason", "Action “Night patrols” is now blocked"). Messages are rendered
when read (inbox, email, digest), not stored, so each reader gets their language.

One entry of `KINDS` per event kind: its line, and optionally how a burst of it by one person
reads as one line ("Maja reported 24 measurements"). A new kind is one entry; a kind without
an entry reads as its label, and a burst of it as "<line> (×n)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from cases.choices import ActionStatus, CaseStatus, ParticipationRole, Visibility
from cases.formatting import format_payload_figure

from .choices import EventKind
from .models import Event, Notification
from .registry import registered_path

Payload = dict[str, Any]
SHORT_TEXT = 160  # a reason or a progress text is cut here, so the line stays one line


def _label(choices: Any, value: str | None) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def actor_name(event: Event) -> str:
    if event.actor is None:
        return "Samverkan"
    return event.actor.get_full_name() or event.actor.get_username()


def _title(p: Payload) -> str:
    return p.get("title") or p.get("outcome_title") or ""


def _short(text: Any) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def _role(p: Payload) -> str:
    return _label(ParticipationRole, p.get("role")).lower()


def _day(value: str | None) -> str:
    try:
        return date_format(date.fromisoformat(value or ""), "SHORT_DATE_FORMAT")
    except ValueError:
        return value or ""


def _with_reason(with_reason: str, without: str, values: Payload, reason: Any) -> str:
    """The sentence with its reason when there is one; never a dangling colon."""
    reason = _short(reason)
    return (with_reason % {**values, "reason": reason}) if reason else (without % values)


def _case_updated(e: Event, p: Payload) -> str:
    """A committee decision (visibility, coordination) says what was decided and why; an
    ordinary edit names the fields that changed."""
    values = {"actor": actor_name(e), "reason": _short(p.get("reason"))}
    if "visibility" in p:
        if p["visibility"][-1] == Visibility.PUBLIC:
            return _("%(actor)s made the case public: %(reason)s") % values
        return _("%(actor)s made the case restricted: %(reason)s") % values
    if "coordinator" in p:
        if p.get("coordinator_name"):
            return _("%(actor)s handed the coordination over to %(name)s: %(reason)s") % {
                **values,
                "name": p["coordinator_name"],
            }
        return _("%(actor)s handed the coordination of the case over: %(reason)s") % values
    fields = _case_field_names(p.get("changed") or [])
    if not fields:
        return _("%(actor)s changed the case") % values
    return _("%(actor)s changed the case: %(fields)s") % {**values, "fields": fields}


def _case_field_names(names: list[str]) -> str:
    from cases.models import Case

    labels = []
    for name in names:
        try:
            labels.append(str(Case._meta.get_field(name).verbose_name))
        except Exception:  # a field removed since the event: its name still says something
            labels.append(name)
    return ", ".join(labels)


@dataclass(frozen=True)
class Kind:
    """How one kind of event reads: one line, and a burst of it by one person as one line."""

    line: Callable[[Event, Payload], str]
    fold: Callable[[str, int], str] | None = None


def _fold(sentence: Any) -> Callable[[str, int], str]:
    """A burst sentence: an `ngettext_lazy` pair numbered by its `count`."""
    return lambda actor, count: str(sentence % {"actor": actor, "count": count})


KINDS: dict[str, Kind] = {
    EventKind.CASE_CREATED: Kind(
        lambda e, p: (
            _("%(actor)s registered the case “%(title)s”")
            % {"actor": actor_name(e), "title": _title(p)}
        ),
    ),
    EventKind.CASE_UPDATED: Kind(
        _case_updated,
        _fold(
            ngettext_lazy(
                "%(actor)s changed the case %(count)d time",
                "%(actor)s changed the case %(count)d times",
                "count",
            )
        ),
    ),
    EventKind.CASE_STATUS_CHANGED: Kind(
        lambda e, p: _with_reason(
            _("%(old)s → %(new)s: %(reason)s"),
            _("%(old)s → %(new)s"),
            {"old": _label(CaseStatus, p.get("from")), "new": _label(CaseStatus, p.get("to"))},
            p.get("reason"),
        ),
    ),
    EventKind.PARTICIPATION_INVITED: Kind(
        lambda e, p: (
            _("%(org)s was invited as %(role)s")
            % {"org": p.get("organisation_name", ""), "role": _role(p)}
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s invited %(count)d organisation",
                "%(actor)s invited %(count)d organisations",
                "count",
            )
        ),
    ),
    EventKind.PARTICIPATION_ACCEPTED: Kind(
        lambda e, p: (
            _("%(org)s accepted the invitation as %(role)s")
            % {"org": p.get("organisation_name", ""), "role": _role(p)}
        ),
    ),
    EventKind.PARTICIPATION_DECLINED: Kind(
        lambda e, p: _with_reason(
            _("%(org)s declined the invitation: %(reason)s"),
            _("%(org)s declined the invitation"),
            {"org": p.get("organisation_name", "")},
            p.get("reason"),
        ),
    ),
    EventKind.INVITATION_WITHDRAWN: Kind(
        lambda e, p: _with_reason(
            _("The invitation of %(org)s was withdrawn: %(reason)s"),
            _("The invitation of %(org)s was withdrawn"),
            {"org": p.get("organisation_name", "")},
            p.get("reason"),
        ),
    ),
    EventKind.PARTICIPATION_WITHDRAWN: Kind(
        lambda e, p: _with_reason(
            _("%(org)s withdrew from the case: %(reason)s"),
            _("%(org)s withdrew from the case"),
            {"org": p.get("organisation_name", "")},
            p.get("reason"),
        ),
    ),
    EventKind.ACTION_CREATED: Kind(
        lambda e, p: (
            (
                _("Action “%(title)s” added, led by %(org)s")
                if p.get("lead_organisation_name")
                else _("Action “%(title)s” added")
            )
            % {"title": _title(p), "org": p.get("lead_organisation_name")}
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s added %(count)d action", "%(actor)s added %(count)d actions", "count"
            )
        ),
    ),
    EventKind.ACTION_ASSIGNED: Kind(
        lambda e, p: (
            (
                _("Action “%(title)s” assigned to %(name)s")
                if p.get("assignee_name")
                else _("Action “%(title)s” assigned")
            )
            % {"title": _title(p), "name": p.get("assignee_name")}
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s assigned %(count)d action",
                "%(actor)s assigned %(count)d actions",
                "count",
            )
        ),
    ),
    EventKind.ACTION_STATUS_CHANGED: Kind(
        lambda e, p: (
            _("Action “%(title)s”: %(old)s → %(new)s")
            % {
                "title": _title(p),
                "old": _label(ActionStatus, p.get("from")),
                "new": _label(ActionStatus, p.get("to")),
            }
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s changed %(count)d action", "%(actor)s changed %(count)d actions", "count"
            )
        ),
    ),
    EventKind.ACTION_BLOCKED: Kind(
        lambda e, p: _("Action “%(title)s” is now blocked") % {"title": _title(p)},
        _fold(
            ngettext_lazy(
                "%(count)d action is now blocked", "%(count)d actions are now blocked", "count"
            )
        ),
    ),
    EventKind.ACTION_UNBLOCKED: Kind(
        lambda e, p: (
            _("Action “%(title)s” no longer waits: “%(blocking)s” is done")
            % {"title": _title(p), "blocking": p.get("blocking_title", "")}
        ),
    ),
    EventKind.ACTION_UPDATE_POSTED: Kind(
        lambda e, p: (
            _("%(actor)s on “%(title)s”: %(text)s")
            % {"actor": actor_name(e), "title": _title(p), "text": _short(p.get("text"))}
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s posted %(count)d progress update",
                "%(actor)s posted %(count)d progress updates",
                "count",
            )
        ),
    ),
    EventKind.ACTION_OVERDUE: Kind(
        lambda e, p: (
            _("Action “%(title)s” is overdue: it was due on %(due)s")
            % {"title": _title(p), "due": _day(p.get("due_date"))}
        ),
        _fold(
            ngettext_lazy("%(count)d action is overdue", "%(count)d actions are overdue", "count")
        ),
    ),
    EventKind.MEASUREMENT_REPORTED: Kind(
        lambda e, p: (
            _("%(actor)s reported %(value)s for “%(title)s”")
            % {"actor": actor_name(e), "value": format_payload_figure(p), "title": _title(p)}
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s reported %(count)d measurement",
                "%(actor)s reported %(count)d measurements",
                "count",
            )
        ),
    ),
    EventKind.MEASUREMENT_APPROVED: Kind(
        lambda e, p: (
            _("%(value)s for “%(title)s” approved; it counts from now on")
            % {"value": format_payload_figure(p), "title": _title(p)}
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s approved %(count)d value", "%(actor)s approved %(count)d values", "count"
            )
        ),
    ),
    EventKind.MEASUREMENT_RETURNED: Kind(
        lambda e, p: _with_reason(
            _("%(value)s for “%(title)s” returned: %(reason)s"),
            _("%(value)s for “%(title)s” returned"),
            {"value": format_payload_figure(p), "title": _title(p)},
            p.get("comment"),
        ),
        _fold(
            ngettext_lazy(
                "%(actor)s returned %(count)d value", "%(actor)s returned %(count)d values", "count"
            )
        ),
    ),
    EventKind.MEASUREMENT_CORRECTED: Kind(
        lambda e, p: _with_reason(
            _("Value for “%(title)s” corrected: %(old)s → %(new)s (%(reason)s)"),
            _("Value for “%(title)s” corrected: %(old)s → %(new)s"),
            {
                "title": _title(p),
                "old": format_payload_figure(p, "old_value"),
                "new": format_payload_figure(p),
            },
            p.get("reason"),
        ),
    ),
    EventKind.MEASUREMENT_WITHDRAWN: Kind(
        lambda e, p: _with_reason(
            _("%(value)s for “%(title)s” withdrawn: %(reason)s"),
            _("%(value)s for “%(title)s” withdrawn"),
            {"value": format_payload_figure(p), "title": _title(p)},
            p.get("reason"),
        ),
    ),
    EventKind.OUTCOME_TARGET_REACHED: Kind(
        lambda e, p: (
            _("Target reached for “%(title)s”: %(value)s")
            % {"title": _title(p), "value": format_payload_figure(p)}
        ),
    ),
    EventKind.OUTCOME_TARGET_NO_LONGER_REACHED: Kind(
        lambda e, p: (
            _("Target no longer reached for “%(title)s”: now %(value)s")
            % {"title": _title(p), "value": format_payload_figure(p) or "–"}
        ),
    ),
    EventKind.OUTCOME_ARCHIVED: Kind(
        lambda e, p: _with_reason(
            _("Outcome “%(title)s” archived: %(reason)s"),
            _("Outcome “%(title)s” archived"),
            {"title": _title(p)},
            p.get("reason"),
        ),
    ),
    EventKind.OUTCOME_REMOVED: Kind(
        lambda e, p: _with_reason(
            _("Outcome “%(title)s” removed with its unapproved values: %(reason)s"),
            _("Outcome “%(title)s” removed with its unapproved values"),
            {"title": _title(p)},
            p.get("reason"),
        ),
    ),
}


def event_message(event: Event) -> str:
    """One line naming the thing and the change, in the active language."""
    kind = KINDS.get(event.kind)
    if kind is None:
        return str(event.get_kind_display())
    return kind.line(event, event.payload or {})


def burst_message(event: Event, count: int) -> str:
    """One line for `count` events of `event`'s kind by its actor close together."""
    if count == 1:
        return event_message(event)
    kind = KINDS.get(event.kind)
    if kind is not None and kind.fold is not None:
        return kind.fold(actor_name(event), count)
    return _("%(what)s (×%(count)d)") % {"what": event_message(event), "count": count}


# An invitation and its answers are read on the invitation's page: the invited organisation
# sees the case's overview there, the case's manager the answer to acknowledge.
INVITATION_PAGE_KINDS = {
    EventKind.PARTICIPATION_INVITED,
    EventKind.PARTICIPATION_ACCEPTED,
    EventKind.PARTICIPATION_DECLINED,
}


def event_path(event: Event) -> str:
    """Where the item is shown in the web UI: the action's page, or the case page's section."""
    registered = registered_path(event)
    if registered is not None:
        return registered
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
