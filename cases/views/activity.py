"""The dashboard's recent activity: runs of alike events told as one line with a count.

Ten measurements reported by one person on one case in a row read as one line ("… reported 10
measurements"), not ten identical ones. Grouping works on the already fetched events, so the
page's query count does not depend on how many events there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.choices import EventKind
from notifications.messages import event_message
from notifications.models import Event


def _actor_name(event: Event) -> str:
    if event.actor is None:
        return "Samverkan"
    return event.actor.get_full_name() or event.actor.get_username()


# Kinds that come in runs; any other kind repeated reads "<what happened> (×n)".
GROUP_MESSAGES: dict[str, Callable[[str, int], str]] = {
    EventKind.MEASUREMENT_REPORTED: lambda actor, count: (
        ngettext(
            "%(actor)s reported %(count)d measurement.",
            "%(actor)s reported %(count)d measurements.",
            count,
        )
        % {"actor": actor, "count": count}
    ),
    EventKind.ACTION_UPDATE_POSTED: lambda actor, count: (
        ngettext(
            "%(actor)s posted %(count)d progress update.",
            "%(actor)s posted %(count)d progress updates.",
            count,
        )
        % {"actor": actor, "count": count}
    ),
    EventKind.ACTION_CREATED: lambda actor, count: (
        ngettext("%(actor)s added %(count)d action.", "%(actor)s added %(count)d actions.", count)
        % {"actor": actor, "count": count}
    ),
    EventKind.PARTICIPATION_INVITED: lambda actor, count: (
        ngettext(
            "%(actor)s invited %(count)d organisation.",
            "%(actor)s invited %(count)d organisations.",
            count,
        )
        % {"actor": actor, "count": count}
    ),
}


@dataclass
class ActivityLine:
    """One line of recent activity: the latest event of a run and how many the run holds."""

    event: Event
    earliest: datetime
    count: int = 1

    @property
    def latest(self) -> datetime:
        return self.event.created_at

    @property
    def message(self) -> str:
        if self.count == 1:
            return event_message(self.event)
        render = GROUP_MESSAGES.get(self.event.kind)
        if render is not None:
            return render(_actor_name(self.event), self.count)
        return _("%(what)s (×%(count)d)") % {
            "what": event_message(self.event),
            "count": self.count,
        }


def _key(event: Event) -> tuple[str, int | None, int | None]:
    return (event.kind, event.case_id, event.actor_id)


def group_activity(events: Iterable[Event], *, limit: int) -> list[ActivityLine]:
    """Merge consecutive events (newest first) of the same kind, case and actor; at most
    `limit` lines. A run cut off by the fetched window counts only the fetched events."""
    lines: list[ActivityLine] = []
    for event in events:
        if lines and _key(lines[-1].event) == _key(event):
            lines[-1].count += 1
            lines[-1].earliest = event.created_at
            continue
        if len(lines) == limit:
            break
        lines.append(ActivityLine(event=event, earliest=event.created_at))
    return lines
