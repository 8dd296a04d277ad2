"""Operators find dead deliveries in the admin, see every attempt, and replay them."""

from __future__ import annotations

import pytest
from django.test import Client

from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery
from tests.factories import UserFactory

from .helpers import post_update_and_fan_out

CHANGELIST = "/admin/notifications/webhookdelivery/"


@pytest.fixture
def operator_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


def test_operator_finds_a_dead_delivery_with_its_attempts_and_replays_it(
    demo, receiver, make_endpoint, operator_client, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([404, 200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        event = post_update_and_fan_out(demo)
    delivery = WebhookDelivery.objects.get(event=event)

    listing = operator_client.get(CHANGELIST, {"state__exact": "dead"})
    assert listing.status_code == 200
    assert f"{CHANGELIST}{delivery.pk}/change/" in listing.content.decode()
    page = operator_client.get(f"{CHANGELIST}{delivery.pk}/change/")
    assert page.status_code == 200
    assert "HTTP 404" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        answer = operator_client.post(
            CHANGELIST, {"action": "replay_dead", "_selected_action": [delivery.pk]}, follow=True
        )
    assert "1 delivery replayed." in answer.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 2


def test_operator_switches_an_endpoint_off_in_the_admin(
    demo, make_endpoint, operator_client
) -> None:
    endpoint = make_endpoint(demo.orgs.sodertalje, "https://hooks.example/a")
    page = operator_client.get(f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200
    assert endpoint.secret not in page.content.decode()
    answer = operator_client.post(
        f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/",
        {"url": endpoint.url, "description": "", "event_kinds": "[]"},
    )
    assert answer.status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_active
