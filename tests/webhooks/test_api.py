"""/api/v1/webhook-endpoints/ and /api/v1/webhook-deliveries/ as organisation admins use them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from agencies.choices import MembershipRole
from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import MembershipFactory
from tests.helpers import run_scheduled_sends

from .helpers import post_update_and_fan_out

ENDPOINTS = "/api/v1/webhook-endpoints/"
URL = "https://hooks.sodertalje.example/samverkan"
User = get_user_model()


def client_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def sodertalje_endpoint(demo, make_endpoint) -> WebhookEndpoint:
    return make_endpoint(demo.orgs.sodertalje, URL)


def test_org_admin_creates_an_endpoint_and_sees_the_secret_once(demo) -> None:
    client = client_for(demo.sara)
    answer = client.post(
        ENDPOINTS,
        {"organisation": demo.orgs.sodertalje.pk, "url": URL, "event_kinds": ["action.blocked"]},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["secret"].startswith("whsec_")
    assert answer.json()["event_kinds"] == ["action.blocked"]
    detail = client.get(f"{ENDPOINTS}{answer.json()['id']}/").json()
    assert "secret" not in detail
    assert all("secret" not in item for item in client.get(ENDPOINTS).json()["results"])


def test_rotating_the_secret_shows_a_new_one(demo, sodertalje_endpoint) -> None:
    answer = client_for(demo.sara).post(f"{ENDPOINTS}{sodertalje_endpoint.pk}/rotate-secret/")
    assert answer.status_code == 200
    assert answer.json()["secret"].startswith("whsec_")
    assert answer.json()["secret"] != sodertalje_endpoint.secret
    sodertalje_endpoint.refresh_from_db()
    assert sodertalje_endpoint.secret == answer.json()["secret"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "ftp://files.example/hook"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": URL, "event_kinds": ["case.exploded"]}, "event_kinds"),
        ({"url": URL, "event_kinds": "action.blocked"}, "event_kinds"),
    ],
)
def test_bad_input_is_a_400_by_the_field_and_nothing_is_written(demo, data, field) -> None:
    data = {"organisation": demo.orgs.sodertalje.pk, **data}
    answer = client_for(demo.sara).post(ENDPOINTS, data, format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert not WebhookEndpoint.objects.exists()


def test_members_and_other_organisations_admins_do_not_see_an_endpoint(
    demo, sodertalje_endpoint
) -> None:
    member = MembershipFactory(organisation=demo.orgs.sodertalje, role=MembershipRole.MEMBER).user
    for user in (member, demo.petra, demo.anna):
        client = client_for(user)
        assert client.get(ENDPOINTS).json()["results"] == []
        assert client.get(f"{ENDPOINTS}{sodertalje_endpoint.pk}/").status_code == 404
        assert client.delete(f"{ENDPOINTS}{sodertalje_endpoint.pk}/").status_code == 404
        rotate = client.post(f"{ENDPOINTS}{sodertalje_endpoint.pk}/rotate-secret/")
        assert rotate.status_code == 404
    assert WebhookEndpoint.objects.filter(pk=sodertalje_endpoint.pk).exists()


def test_a_member_may_not_create_an_endpoint_for_the_organisation(demo) -> None:
    member = MembershipFactory(organisation=demo.orgs.sodertalje, role=MembershipRole.MEMBER).user
    for user in (member, demo.petra):
        answer = client_for(user).post(
            ENDPOINTS, {"organisation": demo.orgs.sodertalje.pk, "url": URL}, format="json"
        )
        assert answer.status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_an_id_that_is_not_a_number_is_a_404_not_a_500(demo) -> None:
    client = client_for(demo.sara)
    assert client.get(f"{ENDPOINTS}abc/").status_code == 404
    assert client.post("/api/v1/webhook-deliveries/abc/replay/").status_code == 404


def test_anonymous_callers_are_refused(sodertalje_endpoint) -> None:
    assert APIClient().get(ENDPOINTS).status_code in (401, 403)


def test_admin_updates_and_reactivates_an_endpoint(demo, sodertalje_endpoint) -> None:
    sodertalje_endpoint.is_active = False
    sodertalje_endpoint.disabled_reason = "The receiver answered 410 Gone."
    sodertalje_endpoint.save()
    answer = client_for(demo.sara).patch(
        f"{ENDPOINTS}{sodertalje_endpoint.pk}/",
        {"is_active": True, "url": "https://new.example/hook", "organisation": 1},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["is_active"] is True
    assert answer.json()["disabled_reason"] == ""
    assert answer.json()["url"] == "https://new.example/hook"
    assert answer.json()["organisation"] == demo.orgs.sodertalje.pk


def test_admin_deletes_an_endpoint(demo, sodertalje_endpoint) -> None:
    answer = client_for(demo.sara).delete(f"{ENDPOINTS}{sodertalje_endpoint.pk}/")
    assert answer.status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_dead_deliveries_are_listed_with_their_attempts_and_can_be_replayed(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks
) -> None:
    hook = receiver([400, 200])
    endpoint = make_endpoint(demo.orgs.sodertalje, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        post_update_and_fan_out(demo)
    run_scheduled_sends()
    client = client_for(demo.sara)

    dead = client.get(f"{ENDPOINTS}{endpoint.pk}/deliveries/?state=dead").json()["results"]
    assert len(dead) == 1
    assert dead[0]["state"] == "dead"
    assert dead[0]["event_kind"] == "action.update_posted"
    assert [(a["number"], a["status_code"]) for a in dead[0]["attempt_log"]] == [(1, 400)]
    assert client.get(f"{ENDPOINTS}{endpoint.pk}/deliveries/?state=delivered").json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/api/v1/webhook-deliveries/{dead[0]['id']}/replay/")
    assert answer.status_code == 200
    assert answer.json()["state"] == "pending"  # sent by the schedule, not in the request
    run_scheduled_sends()
    assert WebhookDelivery.objects.get(pk=dead[0]["id"]).state == DeliveryState.DELIVERED
    again = client.post(f"/api/v1/webhook-deliveries/{dead[0]['id']}/replay/")
    assert again.status_code == 400
    assert "state" in again.json()
    assert (
        client_for(demo.petra)
        .post(f"/api/v1/webhook-deliveries/{dead[0]['id']}/replay/")
        .status_code
        == 404
    )


def test_delivery_list_is_filtered_by_state_and_limited_to_own_endpoints(
    demo, make_endpoint
) -> None:
    make_endpoint(demo.orgs.sodertalje, URL)
    make_endpoint(demo.orgs.police, URL)
    post_update_and_fan_out(demo)
    sara_sees = client_for(demo.sara).get("/api/v1/webhook-deliveries/?state=pending").json()
    assert sara_sees["count"] == 1
    assert client_for(demo.sara).get("/api/v1/webhook-deliveries/?state=dead").json()["count"] == 0
    assert client_for(demo.eve).get("/api/v1/webhook-deliveries/").json()["count"] == 0


def test_delivery_log_takes_the_same_queries_for_one_or_many_deliveries(
    demo, make_endpoint, django_assert_num_queries
) -> None:
    endpoint = make_endpoint(demo.orgs.sodertalje, URL)
    for round_number in range(5):
        event = post_update_and_fan_out(demo)
        delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
        for number in (1, 2):
            delivery.attempt_log.create(
                number=number, started_at=event.created_at, duration_ms=12, status_code=500
            )
        if round_number == 0:
            client = client_for(User.objects.get(username="sara"))  # as a new request loads it
            with django_assert_num_queries(QUERIES_FOR_DELIVERY_LOG):
                one = client.get(f"{ENDPOINTS}{endpoint.pk}/deliveries/")
            assert one.json()["count"] == 1
    client = client_for(User.objects.get(username="sara"))
    with django_assert_num_queries(QUERIES_FOR_DELIVERY_LOG):
        many = client.get(f"{ENDPOINTS}{endpoint.pk}/deliveries/")
    assert many.json()["count"] == 5
    assert all(len(item["attempt_log"]) == 2 for item in many.json()["results"])


# Admin memberships, endpoint, count, page of deliveries, their attempts (the user's admin
# organisations are read once per request; the endpoint filter is a subquery).
QUERIES_FOR_DELIVERY_LOG = 5


def test_filtering_deliveries_by_another_organisations_endpoint_answers_as_for_a_missing_one(
    demo, make_endpoint
) -> None:
    """V3: the filter must not tell whether an endpoint id exists elsewhere."""
    own = make_endpoint(demo.orgs.sodertalje, URL)
    police = make_endpoint(demo.orgs.police, URL)
    post_update_and_fan_out(demo)
    missing = police.pk + 1000
    client = client_for(demo.sara)

    others = client.get("/api/v1/webhook-deliveries/", {"endpoint": police.pk})
    nowhere = client.get("/api/v1/webhook-deliveries/", {"endpoint": missing})

    assert others.status_code == nowhere.status_code == 400
    assert others.json() == nowhere.json()
    assert "not one of your endpoints" in str(others.json()).lower()
    mine = client.get("/api/v1/webhook-deliveries/", {"endpoint": own.pk})
    assert mine.status_code == 200
    assert mine.json()["count"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "https://192.0.0.8/hook",
        "https://localhost/hook",
        "https://intranet.example/hook",
        "https://split.example/hook",
        "https://nowhere.example/hook",
    ],
)
def test_a_url_on_a_loopback_private_or_special_network_is_refused_at_registration(
    demo, dns, settings, url
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    dns(
        {
            "intranet.example": [["192.168.10.20"]],
            "split.example": [["2606:4700::1111", "fd00::5"]],
            "nowhere.example": [[]],
        }
    )
    answer = client_for(demo.sara).post(
        ENDPOINTS, {"organisation": demo.orgs.sodertalje.pk, "url": url}, format="json"
    )
    assert answer.status_code == 400
    assert "url" in answer.json()
    assert not WebhookEndpoint.objects.exists()


def test_changing_an_endpoint_to_a_private_address_is_refused(
    demo, dns, settings, sodertalje_endpoint
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    dns({"hooks.sodertalje.example": [["2606:4700::1111"]]})
    answer = client_for(demo.sara).patch(
        f"{ENDPOINTS}{sodertalje_endpoint.pk}/", {"url": "http://169.254.169.254/"}, format="json"
    )
    assert answer.status_code == 400
    assert "url" in answer.json()
    sodertalje_endpoint.refresh_from_db()
    assert sodertalje_endpoint.url == URL


@pytest.mark.parametrize("url", ["https://8.8.8.8/hook", "https://hooks.example/hook"])
def test_a_public_url_is_accepted_at_registration(demo, dns, settings, url) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    dns({"hooks.example": [["2a00:1450:4001::1", "1.1.1.1"]]})
    answer = client_for(demo.sara).post(
        ENDPOINTS, {"organisation": demo.orgs.sodertalje.pk, "url": url}, format="json"
    )
    assert answer.status_code == 201, answer.json()


def test_in_development_a_loopback_url_may_be_registered(demo, settings) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    answer = client_for(demo.sara).post(
        ENDPOINTS,
        {"organisation": demo.orgs.sodertalje.pk, "url": "http://127.0.0.1:9000/hook"},
        format="json",
    )
    assert answer.status_code == 201
