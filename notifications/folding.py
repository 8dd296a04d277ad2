"""Bursts told once: many events of one kind by one person on one case, close together, read as
one line ("Maja reported 24 measurements", "Carl changed 5 actions").

One function serves the inbox, the email digest, the immediate email and the dashboard's recent
activity, so a burst reads the same everywhere. It works on rows already fetched (a page, a
digest's items), so folding never costs a query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from .messages import burst_message
from .models import Event

T = TypeVar("T")

# Two alike events further apart than this are two lines: a burst is work done in one sitting.
FOLD_GAP = timedelta(minutes=30)


@dataclass
class Fold(Generic[T]):
    """A run of alike rows (events, notifications, deliveries) shown as one line."""

    event: Event  # the run's first event in the order given (the newest in a newest-first list)
    items: list[T] = field(default_factory=list)
    earliest: datetime | None = None
    latest: datetime | None = None

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def message(self) -> str:
        return burst_message(self.event, self.count)

    def add(self, item: T, event: Event) -> None:
        self.items.append(item)
        at = event.created_at
        self.earliest = at if self.earliest is None else min(self.earliest, at)
        self.latest = at if self.latest is None else max(self.latest, at)


def fold_key(event: Event) -> tuple[str, int | None, int | None]:
    return (event.kind, event.case_id, event.actor_id)


def _continues(run: Fold, event: Event, gap: timedelta) -> bool:
    if fold_key(run.event) != fold_key(event):
        return False
    assert run.earliest is not None and run.latest is not None
    return run.earliest - gap <= event.created_at <= run.latest + gap


def fold(
    items: Iterable[T],
    *,
    event_of: Callable[[T], Event] = lambda item: item,  # type: ignore[assignment,return-value]
    limit: int | None = None,
    gap: timedelta = FOLD_GAP,
) -> list[Fold[T]]:
    """Merge consecutive rows whose events share kind, case and actor and lie within `gap` of
    each other; at most `limit` lines. Rows keep their order (newest first or oldest first)."""
    runs: list[Fold[T]] = []
    for item in items:
        event = event_of(item)
        if runs and _continues(runs[-1], event, gap):
            runs[-1].add(item, event)
            continue
        if limit is not None and len(runs) == limit:
            break
        run: Fold[T] = Fold(event=event)
        run.add(item, event)
        runs.append(run)
    return runs
