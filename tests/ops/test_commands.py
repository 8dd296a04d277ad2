"""`manage.py deliveries_stuck` and `deliveries_resend`, as an operator runs them: what is stuck
is listed, a dry run changes nothing, a re-send goes out once however often it is run."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications import services
from notifications.choices import Channel, DeliveryState
from notifications.models import Delivery, Event, Notification
from notifications.webhooks.choices import DeliveryState as WebhookState
from notifications.webhooks.models import WebhookDelivery
from tests.helpers import run_scheduled_sends
from tests.webhooks.helpers import post_update

pytestmark = pytest.mark.usefixtures("emails_at_once")

AN_HOUR_AGO = timedelta(hours=1)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def failed_email(demo) -> Delivery:
    """Sara's progress report fanned out; its email to carl failed an hour ago."""
    event = post_update(demo)
    services.event_fan_out(event_id=event.pk)
    delivery = Delivery.objects.get(event=event, recipient=demo.carl, channel=Channel.EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: gone",
        created_at=timezone.now() - AN_HOUR_AGO,
    )
    return delivery


@pytest.fixture
def dead_webhook(demo, receiver, make_endpoint, settings) -> tuple[WebhookDelivery, object]:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    hook = receiver([200])
    endpoint = make_endpoint(demo.orgs.sodertalje, hook.url)
    event = post_update(demo)
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, state=WebhookState.DEAD, attempts=7
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - AN_HOUR_AGO)
    Event.objects.filter(pk=event.pk).update(dispatched_at=timezone.now())
    return delivery, hook


@pytest.fixture
def lost_event(demo) -> Event:
    """A change whose hand-off never happened, an hour ago."""
    event = post_update(demo)
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - AN_HOUR_AGO)
    return event


@pytest.fixture
def nothing_else_stuck(demo) -> None:
    """The demo's own events count as fanned out: the tests see only what they made stuck."""
    Event.objects.filter(dispatched_at__isnull=True).update(dispatched_at=timezone.now())


# deliveries_stuck


def test_stuck_lists_failed_emails_dead_webhooks_and_lost_events_with_counts(
    nothing_else_stuck, failed_email, dead_webhook, lost_event
) -> None:
    report = json.loads(run("deliveries_stuck", "--json"))
    assert report["counts"]["emails"] == {"total": 1, "by_state": {"failed": 1}}
    assert report["counts"]["webhooks"] == {"total": 1, "by_state": {"dead": 1}}
    assert report["counts"]["events"]["total"] == 1
    [email] = report["emails"]
    assert email["id"] == failed_email.pk
    assert email["recipient"] == "carl"
    assert email["last_error"] == "SMTPServerDisconnected: gone"
    assert email["age_seconds"] >= 3600
    assert [row["id"] for row in report["webhooks"]] == [dead_webhook[0].pk]
    assert [row["id"] for row in report["events"]] == [lost_event.pk]

    text = run("deliveries_stuck")
    assert "emails:" in text and "failed 1" in text and "dead 1" in text
    assert f"#{failed_email.pk}" in text


def test_stuck_leaves_out_what_is_younger_than_the_threshold(nothing_else_stuck, demo) -> None:
    event = post_update(demo)  # just now: still on its normal way
    report = json.loads(run("deliveries_stuck", "--json", "--minutes", "15"))
    assert report["counts"]["events"]["total"] == 0
    assert event.pk not in [row["id"] for row in report["events"]]
    assert (
        json.loads(run("deliveries_stuck", "--json", "--minutes", "0"))["counts"]["events"]["total"]
        == 1
    )


def test_stuck_lists_at_most_the_limit_but_counts_them_all(nothing_else_stuck, demo) -> None:
    for _ in range(3):
        Event.objects.filter(pk=post_update(demo).pk).update(
            created_at=timezone.now() - AN_HOUR_AGO
        )
    report = json.loads(run("deliveries_stuck", "--json", "--limit", "2"))
    assert report["counts"]["events"]["total"] == 3
    assert len(report["events"]) == 2


# deliveries_resend


def test_a_dry_run_changes_nothing_and_sends_nothing(failed_email) -> None:
    out = run("deliveries_resend", "--email", str(failed_email.pk))
    assert "Dry run" in out
    failed_email.refresh_from_db()
    assert failed_email.state == DeliveryState.FAILED
    assert mail.outbox == []


def test_a_failed_email_is_sent_again_once_however_often_the_command_runs(failed_email) -> None:
    run("deliveries_resend", "--email", str(failed_email.pk), "--yes")
    run("deliveries_resend", "--email", str(failed_email.pk), "--yes")
    failed_email.refresh_from_db()
    assert failed_email.state == DeliveryState.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [failed_email.recipient.email]


def test_a_dead_webhook_is_delivered_again_once(dead_webhook) -> None:
    delivery, hook = dead_webhook
    out = run("deliveries_resend", "--kind", "webhook", "--yes")
    assert "webhook: 1 queued" in out
    run_scheduled_sends()  # without a broker the schedule's send job delivers what was queued
    run("deliveries_resend", "--kind", "webhook", "--yes")
    run_scheduled_sends()
    delivery.refresh_from_db()
    assert delivery.state == WebhookState.DELIVERED
    assert len(hook.requests) == 1
    assert hook.requests[0].headers["webhook-id"] == str(delivery.event_id)


def test_a_lost_event_is_fanned_out_once(lost_event, demo) -> None:
    run("deliveries_resend", "--event", str(lost_event.pk), "--yes")
    run("deliveries_resend", "--event", str(lost_event.pk), "--yes")
    lost_event.refresh_from_db()
    assert lost_event.dispatched_at is not None
    assert Notification.objects.filter(event=lost_event, recipient=demo.carl).count() == 1


def test_since_a_date_resends_every_failure_since_then_and_nothing_older(
    nothing_else_stuck, failed_email, demo
) -> None:
    old = Delivery.objects.create(
        event=failed_email.event,
        channel=Channel.EMAIL,
        recipient=demo.sara,
        state=DeliveryState.FAILED,
    )
    Delivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    out = run("deliveries_resend", "--since", since)
    assert f"email: 1 ({failed_email.pk})" in out
    run("deliveries_resend", "--since", since, "--yes")
    assert Delivery.objects.get(pk=failed_email.pk).state == DeliveryState.SENT
    assert Delivery.objects.get(pk=old.pk).state == DeliveryState.FAILED


def test_resend_without_a_choice_is_refused(db) -> None:
    with pytest.raises(CommandError):
        run("deliveries_resend")
    with pytest.raises(CommandError):
        run("deliveries_resend", "--email", "1", "--kind", "email")
