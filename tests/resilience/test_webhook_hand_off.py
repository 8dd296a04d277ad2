"""A webhook delivery whose hand-off to the broker failed (Redis down) is sent by the next
due-sweep at its normal time, not after the two-minute grace meant for tasks lost in a queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.sending import webhook_deliveries_queue_due, webhook_delivery_attempt
from tests.notifications.conftest import _publishing_to
from tests.webhooks.helpers import post_update_and_fan_out

pytestmark = [pytest.mark.redis]


def test_a_first_send_lost_with_redis_goes_with_the_next_due_sweep(
    demo, own_redis, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    own_redis.stop()
    with _publishing_to(own_redis.url), django_capture_on_commit_callbacks(execute=True):
        event = post_update_and_fan_out(demo)  # its hand-off finds no broker
    delivery = WebhookDelivery.objects.get(event=event)
    assert delivery.queued_for is None, "nothing waits in a queue for it"

    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliveries_queue_due() == 1  # the very next sweep (beat: every 30 s)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(hook.requests) == 1


def test_a_retry_lost_with_redis_goes_at_its_retry_time(
    demo, own_redis, receiver, make_endpoint, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOK_RETRY_SCHEDULE = [10]
    hook = receiver([500, 200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    event = post_update_and_fan_out(demo)  # no commit: the first send is run below
    delivery = WebhookDelivery.objects.get(event=event)
    own_redis.stop()
    with _publishing_to(own_redis.url), django_capture_on_commit_callbacks(execute=True):
        # The 500 schedules a retry in 10 s as a task with an ETA; Redis does not take it.
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryState.RETRYING
    delivery.refresh_from_db()
    assert delivery.queued_for is None
    assert webhook_deliveries_queue_due() == 0  # not due yet: no early send either

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)  # its retry time has come
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliveries_queue_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(hook.requests) == 2
