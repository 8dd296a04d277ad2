"""The dashboard's recent activity: runs of alike events told as one line with a count.

Ten measurements reported by one person on one case in a row read as one line ("… reported 10
measurements"), not ten identical ones. The folding is the notifications' own
(notifications/folding.py), shared with the inbox and the emails, so a burst reads the same
everywhere. It works on the already fetched events, so the page's query count does not depend
on how many events there are.
"""

from __future__ import annotations

from collections.abc import Iterable

from notifications.folding import Fold, fold
from notifications.models import Event

ActivityLine = Fold  # one line: the latest event of a run, how many it holds, earliest, latest


def group_activity(events: Iterable[Event], *, limit: int) -> list[Fold[Event]]:
    """Merge consecutive events (newest first) of the same kind, case and actor; at most
    `limit` lines. A run cut off by the fetched window counts only the fetched events."""
    return fold(events, limit=limit)
