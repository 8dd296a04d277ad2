"""Idempotency-Key for safe retries of POST, If-Match/`version` against lost updates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from agencies.services import api_token_create
from cases.models import Action, Case
from config.api.models import IdempotencyKey
from tests.helpers import nothing_written

NEW_CASE = {"title": "Skolfrånvaro", "summary": "Fler elever i skolan.", "theme": "youth-crime"}
NATIONAL = {**NEW_CASE, "is_national": True}


def test_retried_post_with_same_key_returns_first_response_and_creates_nothing(demo, api) -> None:
    client = api(demo.anna)
    first = client.post("/api/v1/cases/", NATIONAL, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    with nothing_written():
        retry = client.post("/api/v1/cases/", NATIONAL, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Case.objects.filter(title="Skolfrånvaro").count() == 1


def test_same_key_with_another_body_is_refused(demo, api) -> None:
    client = api(demo.anna)
    client.post("/api/v1/cases/", NATIONAL, format="json", HTTP_IDEMPOTENCY_KEY="a-2")
    other = {**NATIONAL, "title": "Något annat"}
    with nothing_written():
        response = client.post("/api/v1/cases/", other, format="json", HTTP_IDEMPOTENCY_KEY="a-2")
    assert response.status_code == 422
    assert "different request" in response.json()["detail"]


def test_a_refused_request_is_replayed_too_and_changes_nothing(demo, api) -> None:
    client = api(demo.anna)
    bad = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="a-3")
    assert bad.status_code == 400
    assert "scope_areas" in bad.json()
    retry = client.post("/api/v1/cases/", NEW_CASE, format="json", HTTP_IDEMPOTENCY_KEY="a-3")
    assert (retry.status_code, retry.json()) == (400, bad.json())


def test_keys_belong_to_their_user(demo, api) -> None:
    api(demo.anna).post("/api/v1/cases/", NATIONAL, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = api(demo.carl).post(
        "/api/v1/cases/", NATIONAL, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 403  # carl is not on the committee: his own answer, not anna's


def test_without_a_key_each_post_creates(demo, api) -> None:
    client = api(demo.anna)
    client.post("/api/v1/cases/", NATIONAL, format="json")
    client.post("/api/v1/cases/", NATIONAL, format="json")
    assert Case.objects.filter(title="Skolfrånvaro").count() == 2


def test_nested_posts_honour_the_key(demo, api) -> None:
    client = api(demo.petra)
    url = f"/api/v1/actions/{demo.actions.picture.pk}/updates/"
    body = {"text": "Lägesbilden är klar.", "status": "done"}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    retry = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    assert first.status_code == retry.status_code == 201
    assert demo.actions.picture.updates.count() == 1


def _in_parallel(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at the same moment in threads, each on its own database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except BaseException as error:  # reported by the assertion below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _token_client(user: Any) -> APIClient:
    client = APIClient()
    _token, secret = api_token_create(user=user, name="parallel")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.mark.usefixtures("postgres")
def test_two_concurrent_identical_posts_create_one_case(transactional_demo) -> None:
    clients = [_token_client(transactional_demo.anna) for _ in range(2)]
    responses = _in_parallel(
        [
            lambda c=client: c.post(
                "/api/v1/cases/", NATIONAL, format="json", HTTP_IDEMPOTENCY_KEY="race"
            )
            for client in clients
        ]
    )
    assert [r.status_code for r in responses] == [201, 201], responses
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Case.objects.filter(title="Skolfrånvaro").count() == 1
    assert IdempotencyKey.objects.filter(key="race").count() == 1


def test_get_returns_an_etag_and_a_matching_if_match_wins(demo, api) -> None:
    client = api(demo.anna)
    url = f"/api/v1/cases/{demo.youth.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"priority": "critical"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["version"] == int(etag.strip('"')) + 1


def test_stale_if_match_gets_412_and_changes_nothing(demo, api) -> None:
    client = api(demo.anna)
    url = f"/api/v1/cases/{demo.youth.pk}/"
    etag = client.get(url)["ETag"]
    client.patch(url, {"priority": "critical"}, format="json", HTTP_IF_MATCH=etag)
    with nothing_written():
        stale = client.patch(url, {"priority": "low"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == int(etag.strip('"')) + 1
    assert Case.objects.get(pk=demo.youth.pk).priority == "critical"


def test_stale_version_field_gets_412_on_actions(demo, api) -> None:
    client = api(demo.petra)
    url = f"/api/v1/actions/{demo.actions.picture.pk}/"
    version = client.get(url).json()["version"]
    assert client.patch(url, {"title": "A", "version": version}, format="json").status_code == 200
    with nothing_written():
        stale = client.patch(url, {"title": "B", "version": version}, format="json")
    assert stale.status_code == 412
    assert Action.objects.get(pk=demo.actions.picture.pk).title == "A"


def test_if_match_that_names_no_version_is_refused(demo, api) -> None:
    client = api(demo.anna)
    url = f"/api/v1/cases/{demo.youth.pk}/"
    with nothing_written():
        response = client.patch(url, {"priority": "low"}, format="json", HTTP_IF_MATCH="soon")
    assert response.status_code == 412


@pytest.mark.usefixtures("postgres")
@pytest.mark.parametrize("kind", ["cases", "actions"])
def test_of_two_concurrent_writers_with_the_same_etag_exactly_one_wins(
    transactional_demo, kind: str
) -> None:
    demo = transactional_demo
    target = demo.youth if kind == "cases" else demo.actions.picture
    url = f"/api/v1/{kind}/{target.pk}/"
    clients = [_token_client(demo.anna), _token_client(demo.carl)]
    etag = clients[0].get(url)["ETag"]
    titles = ["Skrivare ett", "Skrivare två"]
    responses = _in_parallel(
        [
            lambda c=client, t=title: c.patch(url, {"title": t}, format="json", HTTP_IF_MATCH=etag)
            for client, title in zip(clients, titles, strict=True)
        ]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 412], responses
    winner = next(r for r in responses if r.status_code == 200).json()["title"]
    target.refresh_from_db()
    assert target.title == winner
    assert target.version == int(etag.strip('"')) + 1


def test_a_retried_token_creation_never_stores_or_shows_the_secret_again(demo, api) -> None:
    client = api(demo.sara)
    body = {"name": "Ärendesystem"}
    first = client.post("/api/v1/tokens/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    retry = client.post("/api/v1/tokens/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert (first.status_code, retry.status_code) == (201, 409)
    assert retry.json()["previous"]["id"] == first.json()["id"]
    assert "token" not in retry.json()["previous"]
    assert "shown only once" in retry.json()["detail"]
    stored = IdempotencyKey.objects.get(key="t-1")
    assert first.json()["token"] not in str(stored.body)
