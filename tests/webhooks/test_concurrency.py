"""Every step is safe to run twice at once (real PostgreSQL, threads with their own connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.sending import webhook_delivery_attempt
from notifications.webhooks.services import webhook_deliveries_for_event
from tests.helpers import run_scheduled_sends

from .helpers import post_update_and_fan_out

pytestmark = pytest.mark.usefixtures("postgres")


def _at_once(work: Callable[[], object], times: int = 4) -> list[object]:
    barrier = threading.Barrier(times)
    results: list[object] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_senders_of_one_delivery_send_it_once(
    transactional_demo, receiver, make_endpoint
) -> None:
    hook = receiver([200])
    endpoint = make_endpoint(transactional_demo.orgs.sodertalje, hook.url)
    endpoint.is_active = False  # keep the fan-out from sending before the race
    endpoint.save()
    event = post_update_and_fan_out(transactional_demo)
    endpoint.is_active = True
    endpoint.save()
    delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=event.created_at)

    results = _at_once(lambda: webhook_delivery_attempt(delivery_id=delivery.pk))

    assert sorted(results, key=str) == [None, None, None, "delivered"]
    assert len(hook.requests) == 1
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1


def test_concurrent_fan_outs_of_one_event_make_one_delivery_and_one_request(
    transactional_demo, receiver, make_endpoint
) -> None:
    hook = receiver([200])
    endpoint = make_endpoint(transactional_demo.orgs.sodertalje, hook.url)
    endpoint.is_active = False
    endpoint.save()
    event = post_update_and_fan_out(transactional_demo)
    endpoint.is_active = True
    endpoint.save()

    results = _at_once(lambda: webhook_deliveries_for_event(event.pk))
    run_scheduled_sends()

    assert not [result for result in results if isinstance(result, BaseException)], results
    assert sum(len(result) for result in results) == 1
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    assert len(hook.requests) == 1
