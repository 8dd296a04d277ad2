"""The sweeper never doubles a backlog: an event still waiting in the fan-out queue is not queued
again however long it waits there; one whose publish failed is, and so is one that left the
queue without being fanned out (its worker died, or Redis lost it). On a Redis of the test's own.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from cases import services as case_services
from notifications import services
from notifications.choices import EventKind
from notifications.models import Event

from .conftest import _publishing_to

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def broker(postgres, transactional_demo, own_redis) -> redis.Redis:
    """The test publishes to its own Redis; no worker consumes it."""
    with _publishing_to(own_redis.url):
        yield redis.Redis.from_url(own_redis.url)


def _changes(demo, count: int, text: str = "Kö") -> list[Event]:
    for n in range(count):
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text=f"{text} {n}"
        )
    events = Event.objects.filter(
        kind=EventKind.ACTION_UPDATE_POSTED, payload__text__startswith=text
    )
    return list(events.order_by("pk"))


def _waiting(client: redis.Redis) -> int:
    return client.llen(settings.NOTIFICATIONS_QUEUE_FANOUT)


def _after_grace() -> datetime:
    return timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE + 1)


def _after_resend() -> datetime:
    seconds = settings.NOTIFICATIONS_SWEEP_GRACE + settings.NOTIFICATIONS_SWEEP_RESEND + 60
    return timezone.now() + timedelta(seconds=seconds)


def test_a_backlog_waiting_in_the_queue_is_never_queued_again(broker, transactional_demo) -> None:
    events = _changes(transactional_demo, 30)
    assert all(event.handed_off_at is not None for event in events)
    assert _waiting(broker) == 30

    # No worker runs; the sweeps come long after the grace and after the resend window.
    assert services.outbox_sweep(now=_after_grace()) == (0, 0)
    assert services.outbox_sweep(now=_after_resend()) == (0, 0)

    assert _waiting(broker) == 30
    assert not Event.objects.filter(pk__in=[e.pk for e in events], dispatched_at__isnull=False)


def test_an_event_whose_publish_failed_is_queued_by_the_next_sweep_once(
    broker, transactional_demo
) -> None:
    waiting = _changes(transactional_demo, 5)
    with _publishing_to("redis://127.0.0.1:9/0"):  # the broker does not answer this request
        (failed,) = _changes(transactional_demo, 1, text="Misslyckad")
    assert failed.handed_off_at is None
    assert _waiting(broker) == 5

    assert services.outbox_sweep(now=timezone.now()) == (0, 0)  # still within the grace
    assert services.outbox_sweep(now=_after_grace()) == (1, 0)
    assert _waiting(broker) == 6
    failed.refresh_from_db()
    assert failed.handed_off_at is not None

    # Now it waits in the queue behind the others: not queued a second time.
    assert services.outbox_sweep(now=_after_resend()) == (0, 0)
    assert _waiting(broker) == 6
    assert all(
        Event.objects.get(pk=event.pk).handed_off_at == event.handed_off_at for event in waiting
    )


def test_events_lost_from_the_queue_are_queued_again_after_the_resend_window(
    broker, transactional_demo
) -> None:
    lost = _changes(transactional_demo, 3)
    broker.delete(settings.NOTIFICATIONS_QUEUE_FANOUT)  # Redis restarted without its data
    time.sleep(1.1)  # the sweeper allows a second's difference between web nodes' clocks
    behind = _changes(transactional_demo, 2, text="Efter")  # later changes wait in the queue

    assert services.outbox_sweep(now=_after_grace()) == (0, 0)  # may still be on their way
    assert services.outbox_sweep(now=_after_resend()) == (3, 0)
    assert _waiting(broker) == 5
    assert services.outbox_sweep(now=_after_resend()) == (0, 0)
    assert {e.pk for e in lost} | {e.pk for e in behind} == set(
        Event.objects.filter(dispatched_at__isnull=True, handed_off_at__isnull=False)
        .filter(pk__in=[e.pk for e in lost + behind])
        .values_list("pk", flat=True)
    )
