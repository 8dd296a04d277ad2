"""V1b: a webhook does not outlive access. Every send (first try, retry, replay) re-checks at
send time that the endpoint's organisation still takes part in the event's case."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.choices import MembershipRole
from cases import services as case_services
from cases.models import Participation
from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.sending import webhook_delivery_attempt
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import run_scheduled_sends

from .helpers import post_update_and_fan_out

NO_LONGER = "no longer takes part"


def police_withdraws(demo: SimpleNamespace) -> None:
    """The police hand the action they lead over to Södertälje and leave the case."""
    case_services.action_update(
        actor=demo.carl,
        action=demo.actions.picture,
        data={"lead_organisation": demo.orgs.sodertalje, "assignee": demo.sara},
    )
    participation = Participation.objects.get(case=demo.youth, organisation=demo.orgs.police)
    case_services.participation_withdraw(
        actor=demo.carl, participation=participation, reason="Omprioritering."
    )


def police_delivery(demo, receiver, make_endpoint, script: list[int], capture) -> tuple:
    hook = receiver(script)
    endpoint = make_endpoint(demo.orgs.police, hook.url)
    with capture(execute=True):
        event = post_update_and_fan_out(demo)
    run_scheduled_sends()
    return hook, WebhookDelivery.objects.get(event=event, endpoint=endpoint)


def _make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1), queued_for=None
    )


def test_a_queued_delivery_is_not_sent_after_the_organisation_withdrew(
    demo, receiver, make_endpoint
) -> None:
    hook = receiver([200])
    endpoint = make_endpoint(demo.orgs.police, hook.url)
    event = post_update_and_fan_out(demo)  # queued: the send has not run yet
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    police_withdraws(demo)

    assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryState.DEAD
    assert hook.requests == []
    delivery.refresh_from_db()
    assert NO_LONGER in delivery.last_error


def test_a_retry_is_not_sent_after_the_organisation_withdrew(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook, delivery = police_delivery(
        demo, receiver, make_endpoint, [500, 200], django_capture_on_commit_callbacks
    )
    assert delivery.state == DeliveryState.RETRYING
    police_withdraws(demo)
    _make_due(delivery)

    assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryState.DEAD
    assert len(hook.requests) == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None
    assert NO_LONGER in delivery.last_error


@pytest.fixture
def police_admin(demo) -> object:
    return MembershipFactory(organisation=demo.orgs.police, role=MembershipRole.ADMIN).user


def test_a_dead_delivery_cannot_be_replayed_after_the_organisation_withdrew(
    demo, receiver, make_endpoint, police_admin, django_capture_on_commit_callbacks
) -> None:
    hook, delivery = police_delivery(
        demo, receiver, make_endpoint, [404, 200], django_capture_on_commit_callbacks
    )
    assert delivery.state == DeliveryState.DEAD
    police_withdraws(demo)
    client = APIClient()
    client.force_authenticate(police_admin)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/replay/")

    assert answer.status_code == 400
    assert NO_LONGER in str(answer.json())
    assert demo.youth.title not in answer.content.decode()
    assert len(hook.requests) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD


def test_the_admin_replay_action_skips_a_delivery_whose_organisation_withdrew(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook, delivery = police_delivery(
        demo, receiver, make_endpoint, [404, 200], django_capture_on_commit_callbacks
    )
    police_withdraws(demo)
    operator = Client()
    operator.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        answer = operator.post(
            "/admin/notifications/webhookdelivery/",
            {"action": "replay_dead", "_selected_action": [delivery.pk]},
            follow=True,
        )

    assert "0 deliveries replayed." in answer.content.decode()
    assert NO_LONGER in answer.content.decode()
    assert len(hook.requests) == 1


def test_a_public_case_still_reaches_an_organisation_that_withdrew(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook, delivery = police_delivery(
        demo, receiver, make_endpoint, [500, 200], django_capture_on_commit_callbacks
    )
    police_withdraws(demo)
    type(demo.youth).objects.filter(pk=demo.youth.pk).update(visibility="public")
    _make_due(delivery)

    assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryState.DELIVERED
    assert len(hook.requests) == 2


# Claim, load the delivery with its endpoint, event and case, the case's active participants
# (the access re-check: the one query it adds), then the record transaction (a savepoint inside
# the test's transaction): lock, attempt row, delivery update.
QUERIES_FOR_AN_ATTEMPT = 8


def test_the_access_recheck_costs_one_query_per_attempt(
    demo, receiver, make_endpoint, django_assert_num_queries
) -> None:
    hook = receiver([200])
    endpoint = make_endpoint(demo.orgs.police, hook.url)
    event = post_update_and_fan_out(demo)
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    with django_assert_num_queries(QUERIES_FOR_AN_ATTEMPT):
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryState.DELIVERED
    assert len(hook.requests) == 1
