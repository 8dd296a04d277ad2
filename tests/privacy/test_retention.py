"""Read notifications, email delivery logs and webhook attempt logs go after RETENTION_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.models import (
    Delivery,
    Event,
    Notification,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from privacy.services import retention_purge
from privacy.tasks import retention_purge as retention_task

NOW = timezone.now().replace(microsecond=0)
OLD = NOW - timedelta(days=366)
RECENT = NOW - timedelta(days=364)


@pytest.fixture
def logs(demo):  # type: ignore[no-untyped-def]
    """Old and recent rows of each kind, plus old ones that are not logs yet."""
    Notification.objects.all().delete()
    rows = {}
    for name, created, read in (
        ("old_read", OLD, OLD),
        ("recent_read", RECENT, RECENT),
        ("old_unread", OLD, None),
    ):
        event = Event.objects.create(kind="case_updated", case=demo.youth, created_at=created)
        rows[name] = Notification.objects.create(
            event=event, recipient=demo.carl, created_at=created, read_at=read
        )
        for state in ("sent", "pending"):
            emailed = Event.objects.create(kind="case_updated", case=demo.youth, created_at=created)
            rows[f"{name}_{state}_email"] = Delivery.objects.create(
                event=emailed, channel="email", recipient=demo.carl, state=state, created_at=created
            )
    endpoint = WebhookEndpoint.objects.create(
        organisation=demo.orgs.sodertalje, url="http://127.0.0.1:9/hook", secret="s" * 32
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=rows["old_read"].event)
    for number, started in ((1, OLD), (2, RECENT)):
        rows[f"attempt_{number}"] = WebhookAttempt.objects.create(
            delivery=delivery, number=number, started_at=started, duration_ms=5
        )
    return rows


def _exists(row) -> bool:  # type: ignore[no-untyped-def]
    return type(row).objects.filter(pk=row.pk).exists()


def test_the_default_is_twelve_months() -> None:
    assert settings.RETENTION_DAYS == 365


def test_only_logs_older_than_the_retention_go(logs) -> None:  # type: ignore[no-untyped-def]
    counts = retention_purge(now=NOW, batch=1)  # one row per batch: the loop must go on
    assert counts == {"notifications": 1, "email_deliveries": 2, "webhook_attempts": 1}
    assert not _exists(logs["old_read"])
    assert not _exists(logs["old_read_sent_email"])
    assert not _exists(logs["attempt_1"])
    # Kept: recent ones, unread notifications, emails not yet sent.
    for kept in ("recent_read", "old_unread", "recent_read_sent_email", "old_read_pending_email"):
        assert _exists(logs[kept]), kept
    assert _exists(logs["attempt_2"])
    assert _exists(logs["old_unread_sent_email"]) is False  # a sent email is a log, read or not


def test_a_shorter_retention_setting_purges_more(logs, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_DAYS = 30
    counts = retention_purge(now=NOW)
    assert counts["notifications"] == 2 and counts["webhook_attempts"] == 2


def test_a_second_run_finds_nothing_more(logs) -> None:  # type: ignore[no-untyped-def]
    retention_purge(now=NOW)
    assert retention_purge(now=NOW) == {
        "notifications": 0,
        "email_deliveries": 0,
        "webhook_attempts": 0,
    }


def test_the_schedule_runs_the_task_daily(logs) -> None:  # type: ignore[no-untyped-def]
    entry = settings.CELERY_BEAT_SCHEDULE["retention-purge"]
    assert entry["task"] == retention_task.name
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {15}
    # The task purges against the real clock: rows a year and a day old go.
    assert retention_task.delay().get()["notifications"] >= 1
