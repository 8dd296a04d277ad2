"""Operators find dead deliveries in the admin, see every attempt, and replay them."""

from __future__ import annotations

import pytest
from django.test import Client

from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery
from tests.factories import UserFactory
from tests.helpers import run_scheduled_sends

from .helpers import post_update_and_fan_out

CHANGELIST = "/admin/notifications/webhookdelivery/"
ENDPOINTS = "/admin/notifications/webhookendpoint/"


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
    run_scheduled_sends()
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
    run_scheduled_sends()
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


def test_the_committees_read_only_admin_does_not_list_organisations_webhooks(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    """Anna browses the admin read-only; webhook URLs are the organisations' own business (the
    API shows them only to each organisation's admins), and secrets are never shown anyway."""
    hook = receiver([404])
    endpoint = make_endpoint(demo.orgs.sodertalje, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        event = post_update_and_fan_out(demo)
    delivery = WebhookDelivery.objects.get(event=event)
    anna = Client()
    anna.force_login(demo.anna)

    index = anna.get("/admin/")
    assert index.status_code == 200
    assert "webhook" not in index.content.decode().lower()
    for page in (
        ENDPOINTS,
        f"{ENDPOINTS}{endpoint.pk}/change/",
        CHANGELIST,
        f"{CHANGELIST}{delivery.pk}/change/",
    ):
        answer = anna.get(page)
        assert answer.status_code in (403, 404), page
        assert hook.url not in answer.content.decode()
        assert endpoint.secret not in answer.content.decode()


def test_an_operator_cannot_point_an_endpoint_at_a_private_address_in_the_admin(
    demo, make_endpoint, operator_client, settings
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    endpoint = make_endpoint(demo.orgs.sodertalje, "https://8.8.8.8/a")
    answer = operator_client.post(
        f"{ENDPOINTS}{endpoint.pk}/change/",
        {"url": "http://10.0.0.1/", "description": "", "event_kinds": "[]", "is_active": "on"},
    )
    assert answer.status_code == 200
    assert "public internet addresses" in answer.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://8.8.8.8/a"
