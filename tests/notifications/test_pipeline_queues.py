"""Queues by kind of work, on real worker processes, Redis, PostgreSQL and SMTP servers: a mail
server that hangs never delays an inbox, and two workers on the fan-out queue share its load
without writing anything twice."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db.models import Count

from notifications.models import Event, Notification

from .conftest import Worker, wait_for
from .test_pipeline_integration import make_change, new_events

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.usefixtures("emails_at_once"),
]


def _inbox_of(demo, events) -> int:
    return Notification.objects.filter(event__in=events, recipient=demo.carl).count()


def test_a_hanging_mail_server_never_delays_an_inbox(pipeline, holding_smtp, tmp_path) -> None:
    demo = pipeline.demo
    env = {**pipeline.worker.env, "EMAIL_PORT": str(holding_smtp.port)}
    emailer = Worker(env, tmp_path / "emailer.log", queues=settings.NOTIFICATIONS_QUEUE_EMAIL)
    fanner = Worker(env, tmp_path / "fanner.log", queues=settings.NOTIFICATIONS_QUEUE_FANOUT)
    try:
        emailer.start()
        fanner.start()
        make_change(demo, "Rapport 0")
        assert holding_smtp.arrived.wait(60), "the first email never reached the mail server"

        for n in range(1, 6):  # the email worker is stuck in the mail server's DATA
            make_change(demo, f"Rapport {n}")
        events = new_events()
        wait_for(lambda: _inbox_of(demo, events) == 6, 30, "six notifications in Carl's inbox")
        assert len(holding_smtp.messages) == 1  # the mail server still holds the first email
    finally:
        holding_smtp.release.set()
        emailer.stop()
        fanner.stop()


def _fanned_out(log) -> int:
    return len(re.findall(r"Fanned out event \d+", log.read_text()))


def test_two_workers_on_the_fan_out_queue_share_it_and_write_each_row_once(
    pipeline, tmp_path
) -> None:
    demo = pipeline.demo
    env = pipeline.worker.env
    queue = settings.NOTIFICATIONS_QUEUE_FANOUT
    one, two = (
        Worker(env, tmp_path / f"{name}.log", queues=queue, loglevel="debug")  # "Fanned out"
        for name in ("one", "two")
    )
    try:
        one.start()
        two.start()
        for n in range(200):
            make_change(demo, f"Rapport {n}")
        events = new_events()
        assert events.count() == 200
        wait_for(
            lambda: not events.filter(dispatched_at__isnull=True).exists(),
            180,
            "the two workers to fan out the 200 events",
        )
    finally:
        one.stop()
        two.stop()
    expected = {demo.carl.pk, demo.sara.pk, demo.olle.pk, demo.rita.pk}
    rows = Notification.objects.filter(event__in=events)
    assert rows.count() == 200 * len(expected)
    per_event = rows.values("event").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(per_event) == {len(expected)}
    assert set(rows.values_list("recipient_id", flat=True)) == expected
    by_one, by_two = _fanned_out(one.log), _fanned_out(two.log)
    print(f"\nfan-outs by worker one: {by_one}, by worker two: {by_two}")
    assert by_one > 0 and by_two > 0
    assert by_one + by_two == Event.objects.filter(pk__in=events).count() == 200
