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


def run_scheduled_sends(*, rounds: int = 10) -> None:
    """What the in-process schedule of `manage.py serve` (no broker) does every few seconds, as
    nothing is sent inside a request: send the emails that are due, then the due webhook
    deliveries; again while something was due (a retry with no delay is due at once)."""
    from django.test import TestCase

    from notifications.tasks import emails_due_send
    from notifications.webhooks.sending import webhook_deliveries_queue_due

    for _ in range(rounds):
        with TestCase.captureOnCommitCallbacks(execute=True):
            due = emails_due_send() + webhook_deliveries_queue_due()
        if not due:
            return
