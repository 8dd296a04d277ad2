"""Personal API tokens, the error contract (400/401/404/409, never 500) and throttling."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings as django_settings
from redis import Redis

from agencies.models import ApiToken
from tests.helpers import nothing_written


def test_token_secret_is_shown_once_and_only_its_hash_is_stored(demo, api) -> None:
    client = api(demo.sara)
    created = client.post("/api/v1/tokens/", {"name": "Kommunens ärendesystem"}, format="json")
    assert created.status_code == 201
    secret = created.json()["token"]
    stored = ApiToken.objects.get(pk=created.json()["id"])
    assert secret not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert "token" not in listed[0]
    assert {"Kommunens ärendesystem"} <= {row["name"] for row in listed}


def test_a_new_token_authenticates_and_a_revoked_one_does_not(demo, api) -> None:
    created = api(demo.sara).post("/api/v1/tokens/", {"name": "CI"}, format="json").json()
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {created['token']}")
    assert client.get("/api/v1/me/").json()["username"] == "sara"
    assert client.delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_token_gets_401(demo, api) -> None:
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer sam_not-a-real-token")
    assert client.get("/api/v1/cases/").status_code == 401


def test_session_auth_keeps_csrf_on(demo) -> None:
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(demo.anna)
    assert client.get("/api/v1/me/").status_code == 200
    with nothing_written():
        response = client.post(
            "/api/v1/cases/", {"title": "T", "summary": "S", "theme": "youth-crime"}, format="json"
        )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_me_tells_organisations_roles_and_committee(demo, api) -> None:
    me = api(demo.sara).get("/api/v1/me/").json()
    assert me["is_committee"] is False
    assert [(m["organisation"]["name"], m["role"]) for m in me["memberships"]] == [
        (demo.orgs.sodertalje.name, "admin")
    ]
    assert api(demo.anna).get("/api/v1/me/").json()["is_committee"] is True


def test_organisations_filter_by_kind_region_and_text(demo, api) -> None:
    client = api(None)
    rows = client.get("/api/v1/organisations/?kind=municipality&region_code=01&page_size=100")
    names = {row["name"] for row in rows.json()["results"]}
    assert demo.orgs.sodertalje.name in names and demo.orgs.kiruna.name not in names
    found = client.get("/api/v1/organisations/?q=polismyndigheten").json()["results"]
    assert [row["id"] for row in found] == [demo.orgs.police.pk]
    assert client.get("/api/v1/organisations/?municipality_code=2584").json()["count"] == 1


def test_page_size_is_bounded(demo, api) -> None:
    page = api(None).get("/api/v1/organisations/?page_size=100").json()
    assert len(page["results"]) == 100
    too_large = api(None).get("/api/v1/organisations/?page_size=100000")
    assert too_large.status_code == 400 and "page_size" in too_large.json()


def test_bad_input_gets_400_with_errors_by_field(demo, api) -> None:
    client = api(demo.anna)
    with nothing_written():
        response = client.post(
            "/api/v1/actions/",
            {"case": demo.youth.pk, "title": "", "lead_organisation": 10**12, "due_date": "snart"},
            format="json",
        )
    assert response.status_code == 400
    assert {"title", "lead_organisation", "due_date"} <= set(response.json())


def test_service_rule_errors_come_back_by_field(demo, api) -> None:
    """A rule that only the service knows (the lead must take part) is still a field error."""
    client = api(demo.anna)
    body = {"case": demo.youth.pk, "title": "Ny", "lead_organisation": demo.orgs.kiruna.pk}
    with nothing_written():
        response = client.post("/api/v1/actions/", body, format="json")
    assert response.status_code == 400
    assert "lead_organisation" in response.json()


def test_invisible_dependency_does_not_exist(demo, api) -> None:
    """Depending on an action of a case the user cannot see reads as "does not exist"."""
    care_action = demo.care.actions.first()
    client = api(demo.petra)
    url = f"/api/v1/actions/{demo.actions.picture.pk}/"
    response = client.patch(url, {"depends_on": [care_action.pk]}, format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["depends_on"][0]


def test_malformed_json_and_bad_filters_get_400_not_500(demo, api) -> None:
    client = api(demo.anna)
    response = client.generic(
        "POST", "/api/v1/cases/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert client.get("/api/v1/actions/?due_before=someday").status_code == 400
    assert client.get("/api/v1/actions/?case=abc").status_code == 400
    assert client.get("/api/v1/cases/?status=finished").status_code == 400


def test_huge_and_unknown_ids_get_404(demo, api) -> None:
    client = api(demo.anna)
    assert client.get(f"/api/v1/cases/{10**30}/").status_code == 404
    assert client.get("/api/v1/actions/999999/").status_code == 404
    assert client.get("/api/v1/cases/abc/").status_code == 404


def test_illegal_transition_gets_409_with_the_reason(demo, api) -> None:
    url = f"/api/v1/cases/{demo.youth.pk}/transition/"
    with nothing_written():
        response = api(demo.carl).post(url, {"to_status": "draft", "reason": "Om"}, format="json")
    assert response.status_code == 409
    assert "to_status" in response.json()


def test_action_list_filters(demo, api) -> None:
    client = api(demo.anna)
    overdue = client.get(f"/api/v1/actions/?overdue=true&case={demo.youth.pk}").json()
    assert [row["id"] for row in overdue["results"]] == [demo.actions.fieldwork.pk]
    by_lead = client.get(f"/api/v1/actions/?lead_organisation={demo.orgs.police.pk}").json()
    assert [row["id"] for row in by_lead["results"]] == [demo.actions.picture.pk]
    blocked = client.get(f"/api/v1/actions/?case={demo.youth.pk}&status=blocked").json()
    assert [row["id"] for row in blocked["results"]] == [demo.actions.talks.pk]


def test_outcome_carries_its_progress(demo, api) -> None:
    rows = api(demo.carl).get(f"/api/v1/outcomes/?case={demo.youth.pk}").json()["results"]
    suspects = next(row for row in rows if row["title"].startswith("Färre unga"))
    # Baseline 60, target 40, latest approved 46 (the later 45, 46 and 44 wait for review or
    # were returned, and do not count): 70 % of the way.
    assert suspects["progress"]["latest_value"] == "46.00"
    assert suspects["progress"]["progress"] == pytest.approx(0.7)
    assert suspects["progress"]["target_reached"] is False


def test_too_many_requests_get_429(demo, api, settings) -> None:
    rates = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/minute"}
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = api(demo.olle)
    codes = [client.get("/api/v1/cases/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_a_case_reads_the_same_in_the_list_as_in_its_detail(demo, api) -> None:
    client = api(demo.anna)
    listed = next(
        row for row in client.get("/api/v1/cases/").json()["results"] if row["id"] == demo.youth.pk
    )
    detail = client.get(f"/api/v1/cases/{demo.youth.pk}/").json()
    detail.pop("participations")
    assert listed == detail


def test_throttle_counts_in_redis_when_configured(demo, api, settings, redis_url) -> None:
    """Production keeps the counters in Redis, shared by every web process."""
    prefix = f"test-api-throttle-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    rates = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "2/minute"}
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = api(demo.olle)
    redis = Redis.from_url(redis_url)
    try:
        codes = [client.get("/api/v1/cases/").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert any(b"throttle_user" in key for key in redis.keys(f"{prefix}:*"))
    finally:
        # Only our keys: the same Redis database may hold the Celery broker's queues.
        for key in redis.keys(f"{prefix}:*"):
            redis.delete(key)
