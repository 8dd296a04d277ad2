"""Sending in-process (tasks run eagerly, as on a laptop) to a real local receiver. Nothing is
sent inside the request: the in-process schedule's due-sweep sends (`run_scheduled_sends`)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.sending import (
    countdown_limit,
    retry_delay,
    webhook_deliveries_queue_due,
    webhook_delivery_attempt,
)
from notifications.webhooks.services import webhook_delivery_replay
from notifications.webhooks.tasks import webhook_deliveries_due
from tests.helpers import run_scheduled_sends

from .helpers import post_update_and_fan_out


def _deliver(demo, django_capture_on_commit_callbacks) -> WebhookDelivery:
    with django_capture_on_commit_callbacks(execute=True):
        event = post_update_and_fan_out(demo)
    run_scheduled_sends()
    return WebhookDelivery.objects.get(event=event)


@pytest.mark.usefixtures("fast_retries")
def test_receiver_failing_three_times_gets_the_event_on_the_fourth_attempt(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([500, 500, 500, 200])
    hook.secret = make_endpoint(demo.orgs.sodertalje, hook.url).secret
    delivery = _deliver(demo, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.DELIVERED
    assert [(a.number, a.status_code) for a in delivery.attempt_log.all()] == [
        (1, 500),
        (2, 500),
        (3, 500),
        (4, 200),
    ]
    assert all(request.signature_valid for request in hook.requests)
    assert {request.headers["webhook-id"] for request in hook.requests} == {str(delivery.event_id)}
    body = json.loads(hook.requests[-1].body)
    assert body["type"] == "action.update_posted"
    assert body["data"]["case"]["reference"] == demo.youth.reference
    assert body["data"]["payload"]["text"] == "Skolorna är valda."


def test_410_disables_the_endpoint_and_kills_the_delivery(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([410])
    endpoint = make_endpoint(demo.orgs.sodertalje, hook.url)
    delivery = _deliver(demo, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD
    assert delivery.attempts == 1
    assert not endpoint.is_active
    assert "410" in endpoint.disabled_reason
    with django_capture_on_commit_callbacks(execute=True):
        event = post_update_and_fan_out(demo)
    assert not WebhookDelivery.objects.filter(event=event).exists()
    assert len(hook.requests) == 1


def test_a_client_error_is_permanent_and_not_retried(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([404, 200])
    endpoint = make_endpoint(demo.orgs.sodertalje, hook.url)
    delivery = _deliver(demo, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD
    assert delivery.last_status_code == 404
    assert len(hook.requests) == 1
    assert endpoint.is_active


@pytest.mark.usefixtures("fast_retries")
def test_after_the_last_attempt_the_delivery_is_dead_and_a_replay_delivers_it(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([503, 503, 503, 503, 200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    delivery = _deliver(demo, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.DEAD
    assert delivery.attempts == 4
    assert delivery.next_attempt_at is None
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_replay(actor=demo.sara, delivery=delivery)
    run_scheduled_sends()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert [a.status_code for a in delivery.attempt_log.all()] == [503, 503, 503, 503, 200]


def test_long_backoff_waits_in_the_database_for_the_due_sweep(
    demo, receiver, make_endpoint, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOK_RETRY_SCHEDULE = [3600]
    hook = receiver([500, 200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    delivery = _deliver(demo, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.RETRYING
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(minutes=47) < wait < timedelta(minutes=73)
    assert webhook_deliveries_queue_due() == 0
    assert len(hook.requests) == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_due.delay()  # what beat runs every 30 seconds
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(hook.requests) == 2


def test_a_delivery_held_by_another_sender_or_already_delivered_is_not_sent_again(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    delivery = _deliver(demo, django_capture_on_commit_callbacks)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) is None  # a redelivered task

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, claimed_until=timezone.now() + timedelta(minutes=1)
    )
    assert webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert webhook_deliveries_queue_due() == 0
    assert len(hook.requests) == 1


def test_a_delivery_for_an_endpoint_disabled_meanwhile_dies_without_a_request(
    demo, receiver, make_endpoint
) -> None:
    hook = receiver([200])
    endpoint = make_endpoint(demo.orgs.sodertalje, hook.url)
    event = post_update_and_fan_out(demo)  # the send is not run: no commit in this test
    endpoint.is_active = False
    endpoint.save()
    delivery = WebhookDelivery.objects.get(event=event)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryState.DEAD
    assert hook.requests == []


def test_retry_delays_follow_the_schedule_with_jitter_and_then_stop(settings) -> None:
    settings.WEBHOOK_RETRY_SCHEDULE = [10, 30, 120]
    for attempts, base in ((1, 10), (2, 30), (3, 120)):
        assert 0.8 * base <= retry_delay(attempts) <= 1.2 * base
    assert retry_delay(4) is None


def test_no_countdown_reaches_the_brokers_visibility_timeout(settings) -> None:
    settings.WEBHOOK_COUNTDOWN_MAX = 10 * 24 * 3600
    assert countdown_limit() == settings.CELERY_VISIBILITY_TIMEOUT / 2


def test_a_lost_hand_off_is_queued_again_by_the_sweep_but_only_after_a_grace_period(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    event = post_update_and_fan_out(demo)  # no commit here: as if the broker had been down
    delivery = WebhookDelivery.objects.get(event=event)
    assert webhook_deliveries_queue_due() == 0  # its send may still be on its way

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        queued_for=timezone.now() - timedelta(minutes=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliveries_queue_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(hook.requests) == 1


def test_the_beat_schedule_names_the_due_sweep_task(settings) -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE["webhook-deliveries-due"]
    assert schedule["task"] == webhook_deliveries_due.name
    assert schedule["schedule"] <= 30
