from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cases.models import (
    Action,
    ActionUpdate,
    Case,
    CaseStatusChange,
    Measurement,
    Outcome,
    Participation,
)
from notifications.models import Event

WATCHED = [Case, CaseStatusChange, Participation, Action, ActionUpdate, Outcome, Measurement, Event]


def _snapshot() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    for model in (Case, Participation, Action, Outcome, Measurement):
        counts[f"history:{model.__name__}"] = model.history.count()
    return counts


@contextmanager
def nothing_written() -> Iterator[None]:
    """Assert that the block leaves every domain, history and event table as it found it."""
    before = _snapshot()
    yield
    assert _snapshot() == before
