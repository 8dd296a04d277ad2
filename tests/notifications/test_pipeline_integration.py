"""The whole pipeline on the real parts: a Celery worker and beat process, Redis, PostgreSQL and
an SMTP server. Each test is bounded in time and stops its processes in a finalizer."""

from __future__ import annotations

import signal
import time

import pytest
from django.contrib.auth.models import Group
from django.db.models import Count, QuerySet
from django.test import Client

from notifications import services
from notifications.choices import Channel, DeliveryState, EmailMode, EventKind
from notifications.models import Delivery, Event, Notification
from tests.factories import UserFactory

from .conftest import wait_for

# The pipeline's mechanics, not the defaults: everyone chose email at once.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.usefixtures("emails_at_once"),
]

KIND = EventKind.ACTION_UPDATE_POSTED


def make_change(demo, text: str) -> float:
    """One change made through the API; returns how long the request took (seconds).

    petra reports progress on the action her organisation leads:
    `POST /api/v1/actions/{id}/updates/`, with the after-commit hand-off to the broker.
    """
    client = Client()
    client.force_login(demo.petra)
    started = time.monotonic()
    response = client.post(
        f"/api/v1/actions/{demo.actions.picture.pk}/updates/",
        {"text": text},
        content_type="application/json",
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    return elapsed


def new_events(kind: str = KIND) -> QuerySet[Event]:
    """Events of the test itself (the demo data loaded before it has events of its own)."""
    return Event.objects.filter(kind=kind, payload__text__startswith="Rapport")


def _only_carl_gets_email(demo) -> None:
    for user in (demo.sara, demo.olle, demo.rita):
        services.preferences_set(user=user, email_modes={KIND: EmailMode.OFF})


def _delivery_ids(messages) -> list[str]:
    return [m["X-Samverkan-Delivery"] for m in messages]


def test_change_reaches_the_coordinators_inbox_and_mailbox_through_the_worker(pipeline) -> None:
    demo = pipeline.demo
    pipeline.worker.start()
    make_change(demo, "Rapport: lägesbilden är klar")
    event = new_events().get()
    wait_for(
        lambda: Notification.objects.filter(event=event, recipient=demo.carl).exists(),
        30,
        "the coordinator's notification",
    )
    wait_for(
        lambda: any(m["To"] == demo.carl.email for m in pipeline.smtp.messages),
        30,
        "the coordinator's email at the SMTP server",
    )
    to_carl = [m for m in pipeline.smtp.messages if m["To"] == demo.carl.email]
    assert len(to_carl) == 1
    assert demo.youth.reference in to_carl[0]["Subject"]
    body = to_carl[0].get_payload(0).get_payload(decode=True).decode()
    assert "Rapport: lägesbilden är klar" in body
    assert not Notification.objects.filter(event=event, recipient=demo.petra).exists()


def test_with_redis_down_every_change_succeeds_and_all_is_delivered_once_it_is_back(
    pipeline,
) -> None:
    demo = pipeline.demo
    _only_carl_gets_email(demo)
    pipeline.worker.start()
    pipeline.beat.start()
    pipeline.redis.stop()

    durations = [make_change(demo, f"Rapport {n}") for n in range(200)]
    events = new_events()
    assert events.count() == 200
    assert events.filter(dispatched_at__isnull=True).count() == 200
    # A stopped broker refuses at once; a change that waited on it would take the 2 s socket
    # timeout. 1.5 s leaves room for a loaded machine (1.12 s seen with CI beside other work).
    assert max(durations) < 1.5, f"a change waited {max(durations):.2f}s on the broker"

    pipeline.redis.start()
    wait_for(
        lambda: not events.filter(dispatched_at__isnull=True).exists(),
        180,
        "the sweeper and the worker to dispatch every event",
    )
    wait_for(
        lambda: Delivery.objects.filter(event__in=events, state=DeliveryState.SENT).count() == 200,
        120,
        "the 200 emails to the coordinator",
    )
    for recipient in (demo.carl, demo.sara, demo.olle, demo.rita):
        assert Notification.objects.filter(event__in=events, recipient=recipient).count() == 200
    assert not Notification.objects.filter(event__in=events, recipient=demo.petra).exists()
    time.sleep(2)  # a duplicate send would arrive now
    received = _delivery_ids(pipeline.smtp.messages)
    assert len(received) == 200 and len(set(received)) == 200
    print(f"\n200 changes with Redis down: slowest {max(durations) * 1000:.1f} ms")


def _many_followers(demo, count: int) -> list[int]:
    committee = Group.objects.get(name="committee")
    ids = []
    for n in range(count):
        follower = UserFactory(username=f"kill-follower{n}", email="")
        follower.groups.add(committee)
        services.case_follow(case=demo.youth, user=follower)
        ids.append(follower.pk)
    return ids


def test_worker_killed_during_fan_out_leaves_exactly_one_notification_per_recipient(
    pipeline,
) -> None:
    demo = pipeline.demo
    _only_carl_gets_email(demo)
    followers = _many_followers(demo, 300)
    for n in range(40):
        make_change(demo, f"Rapport {n}")  # queued in Redis; no worker runs yet
    events = new_events()

    pipeline.worker.start()
    wait_for(
        lambda: events.filter(dispatched_at__isnull=False).count() >= 3,
        60,
        "the worker to be midway through the fan-outs",
    )
    pipeline.worker.kill(signal.SIGKILL)
    dispatched_at_kill = events.filter(dispatched_at__isnull=False).count()
    assert dispatched_at_kill < 40, "the worker finished before it was killed"

    pipeline.worker.start()
    pipeline.beat.start()
    wait_for(
        lambda: not events.filter(dispatched_at__isnull=True).exists(),
        180,
        "every event to be dispatched after the restart",
    )
    expected = {*followers, demo.carl.pk, demo.sara.pk, demo.olle.pk, demo.rita.pk}
    per_event = (
        Notification.objects.filter(event__in=events).values("event").annotate(n=Count("id"))
    )
    assert {row["n"] for row in per_event} == {len(expected)}
    assert len(per_event) == 40
    for event in events:
        recipients = set(event.notifications.values_list("recipient_id", flat=True))
        assert recipients == expected
    wait_for(
        lambda: (
            not Delivery.objects.filter(channel=Channel.EMAIL, state=DeliveryState.PENDING).exists()
        ),
        60,
        "the coordinator's emails",
    )
    received = _delivery_ids(pipeline.smtp.messages)
    assert len(received) == len(set(received))
    print(f"\nworker killed after {dispatched_at_kill} of 40 fan-outs")
