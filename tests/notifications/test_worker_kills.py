"""R2: a fan-out worker SIGKILLed twice while it fans out events of 1,504 recipients each, and an
email worker SIGKILLed mid-batch (the mail server holding its first email): after restarts, every
inbox row exists exactly once and no email is lost (a duplicate is counted, not hidden). Real
worker processes, a Redis of the test's own, PostgreSQL and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import signal
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count

from notifications.choices import Channel, DeliveryState
from notifications.models import CaseFollow, Delivery, Notification

from .conftest import Worker, wait_for
from .test_pipeline_integration import make_change, new_events

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

FOLLOWERS = 1500
WITH_ADDRESS = 50  # followers who get email; the others only the inbox
EVENTS = 20


def _followers(demo) -> set[int]:
    """1,500 committee members following the youth case, in three statements."""
    users = get_user_model().objects
    users.bulk_create(
        [
            users.model(username=f"r2-{n}", email=f"r2-{n}@r2.local" if n < WITH_ADDRESS else "")
            for n in range(FOLLOWERS)
        ]
    )
    ids = set(users.filter(username__startswith="r2-").values_list("pk", flat=True))
    committee = Group.objects.get(name="committee")
    committee.user_set.through.objects.bulk_create(
        [committee.user_set.through(group_id=committee.pk, user_id=pk) for pk in ids]
    )
    CaseFollow.objects.bulk_create([CaseFollow(case=demo.youth, user_id=pk) for pk in ids])
    return ids


def _dispatched(events) -> int:
    return events.filter(dispatched_at__isnull=False).count()


def _kill_mid_fan_out(worker: Worker, events, at_least: int) -> int:
    worker.start()
    wait_for(lambda: _dispatched(events) >= at_least, 120, f"{at_least} events fanned out")
    worker.kill(signal.SIGKILL)
    done = _dispatched(events)
    assert done < EVENTS, "the worker finished every fan-out before it was killed"
    return done


def test_r2_workers_killed_mid_fan_out_and_mid_email_batch_lose_and_double_nothing(
    pipeline, holding_smtp, request, tmp_path
) -> None:
    demo = pipeline.demo
    followers = _followers(demo)
    request.getfixturevalue("emails_at_once")  # the followers with an address want email at once
    env = pipeline.worker.env
    env.update(EMAIL_PORT=str(holding_smtp.port), NOTIFICATIONS_EMAIL_SEND_LEASE="3")
    fanner = Worker(env, tmp_path / "fanner.log", queues=settings.NOTIFICATIONS_QUEUE_FANOUT)
    emailer = Worker(env, tmp_path / "emailer.log", queues=settings.NOTIFICATIONS_QUEUE_EMAIL)
    try:
        for n in range(EVENTS):
            make_change(demo, f"Rapport {n}")  # queued in Redis; no worker runs yet
        events = new_events()
        first = _kill_mid_fan_out(fanner, events, 1)
        second = _kill_mid_fan_out(fanner, events, first + 1)

        # A worker killed just after a commit may not have queued that event's emails: they
        # wait as pending rows for the sweeper, which beat schedules on the fan-out queue.
        fanner.start()
        pipeline.beat.start()  # sweeps every second: lost fan-outs, pending and expired emails
        emailer.start()
        assert holding_smtp.arrived.wait(120), "no email reached the mail server"
        emailer.kill(signal.SIGKILL)  # mid-batch: the server has the first email, no 250 came
        holding_smtp.release.set()
        emailer.start()
        wait_for(
            lambda: not events.filter(dispatched_at__isnull=True).exists(),
            300,
            "every event fanned out after the kills",
        )
        emails = Delivery.objects.filter(event__in=events, channel=Channel.EMAIL)
        wait_for(
            lambda: not emails.exclude(state=DeliveryState.SENT).exists(),
            300,
            "every email sent",
        )
    finally:
        holding_smtp.release.set()
        pipeline.beat.stop()
        fanner.stop()
        emailer.stop()

    expected = followers | {demo.carl.pk, demo.sara.pk, demo.olle.pk, demo.rita.pk}
    rows = Notification.objects.filter(event__in=events)
    per_event = set(rows.values("event").annotate(n=Count("id")).values_list("n", flat=True))
    assert per_event == {len(expected)}  # none lost, none doubled
    assert rows.count() == EVENTS * len(expected)
    assert set(rows.values_list("recipient_id", flat=True)) == expected

    sent = Counter(
        int(pk) for m in holding_smtp.messages for pk in m["X-Samverkan-Delivery"].split(",")
    )
    email_ids = set(emails.values_list("pk", flat=True))
    lost = email_ids - set(sent)
    duplicated = sum(1 for pk in email_ids if sent[pk] > 1)
    print(
        f"\nR2: fan-out worker killed after {first} and {second} of {EVENTS} events "
        f"({len(expected)} recipients each); {len(email_ids)} emails, {len(lost)} lost, "
        f"{duplicated} sent twice (the one held at the kill)"
    )
    assert lost == set()
    assert len(email_ids) == EVENTS * (WITH_ADDRESS + 4)
