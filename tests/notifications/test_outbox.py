"""The outbox sweeper: what it re-sends, what it leaves alone, and how two sweepers share."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cases import services as case_services
from notifications import services
from notifications.choices import EventKind
from notifications.models import Event, Notification
from notifications.services.scheduled import _claimed_undispatched_events

from .conftest import _publishing_to


def _change_without_hand_off(demo) -> Event:
    """A change whose after-commit hand-off never happened (the test transaction never commits),
    just like one made while the broker was down."""
    case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text="x")
    return Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).first()


def _later(settings, seconds: float = 1) -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE + seconds)


def test_sweeper_dispatches_an_event_whose_hand_off_was_lost(demo, settings) -> None:
    event = _change_without_hand_off(demo)
    assert event.dispatched_at is None
    assert services.outbox_sweep(now=_later(settings))[0] >= 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert Notification.objects.filter(event=event, recipient=demo.carl).count() == 1


def test_sweeper_leaves_young_events_to_their_normal_hand_off(demo) -> None:
    event = _change_without_hand_off(demo)
    services.outbox_sweep(now=timezone.now())
    event.refresh_from_db()
    assert event.dispatched_at is None and event.handed_off_at is None


def test_sweeper_with_the_broker_down_marks_nothing_and_fails_nothing(demo, settings) -> None:
    event = _change_without_hand_off(demo)
    with _publishing_to("redis://127.0.0.1:9/0"):
        assert services.outbox_sweep(now=_later(settings)) == (0, 0)
    event.refresh_from_db()
    assert event.dispatched_at is None and event.handed_off_at is None


@pytest.mark.usefixtures("postgres")
def test_two_sweepers_never_claim_the_same_event(transactional_demo, settings) -> None:
    event = _change_without_hand_off_committed(transactional_demo)
    cutoff = _later(settings)
    locked, release = threading.Event(), threading.Event()

    def other_sweeper() -> None:
        try:
            with transaction.atomic():
                assert event.pk in _claimed_undispatched_events(cutoff, cutoff, 1000)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sweeper)
    thread.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            assert event.pk not in _claimed_undispatched_events(cutoff, cutoff, 1000)
    finally:
        release.set()
        thread.join(10)


def _change_without_hand_off_committed(demo) -> Event:
    with _publishing_to("redis://127.0.0.1:9/0"):  # the broker is down: the event waits
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text="y")
    event = Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).first()
    assert event.dispatched_at is None
    return event
