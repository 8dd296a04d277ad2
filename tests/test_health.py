"""The load balancer's probes: /healthz (liveness) and /readyz (readiness), and the indexes that
keep the inbox and the case list flat at scale."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.access import visible_cases
from notifications.choices import EventKind
from notifications.models import Event
from notifications.selectors import inbox_for_user

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def _production_like(settings) -> None:  # type: ignore[no-untyped-def]
    """HTTPS redirect on and only the public name allowed, as in production."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["samverkan.example.se"]


# /healthz


def test_healthz_answers_ok_without_touching_the_database(
    db, django_assert_num_queries, settings
) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Set-Cookie" not in response.headers


def test_probes_are_answered_on_the_nodes_own_address_over_plain_http(db, settings) -> None:
    # A load balancer probes each node by IP over HTTP: no redirect, no 400 for the host name.
    _production_like(settings)
    client = Client()
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.head("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200


def test_other_pages_still_redirect_to_https(db, settings) -> None:
    _production_like(settings)
    response = Client().get("/accounts/login/", HTTP_HOST="samverkan.example.se")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# /readyz


def test_readyz_is_ready_on_a_working_database(db, settings) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "redis": "ok" if settings.REDIS_URL else "not configured",
        "outbox_lag_seconds": 0,
    }
    assert response["Cache-Control"] == "no-store"


def test_readyz_without_redis_configured_is_ready(db, settings) -> None:
    settings.REDIS_URL = ""
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["redis"] == "not configured"


def test_readyz_reports_redis_down_without_leaving_the_rotation(db, settings) -> None:
    """Every page works without Redis: the node stays ready, the probe says what is degraded."""
    settings.REDIS_URL = CLOSED_PORT_REDIS
    started = time.monotonic()
    response = Client().get("/readyz")
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    body = response.json()
    assert body["redis"] == "down"
    assert body["database"] == "ok"
    assert body["degraded"] == ["redis"]
    assert "failing" not in body


def test_readyz_is_503_naming_the_database_when_it_does_not_answer(db, monkeypatch) -> None:
    from django.db import DatabaseError

    from config import health

    class Unreachable:  # what the probe's connection meets when PostgreSQL is gone
        def cursor(self) -> None:
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_readyz_reports_the_outbox_degraded_when_an_event_waits_too_long(db, settings) -> None:
    settings.READINESS_MAX_OUTBOX_LAG = 300
    Event.objects.create(
        kind=EventKind.CASE_UPDATED, created_at=timezone.now() - timedelta(seconds=400)
    )
    response = Client().get("/readyz")
    assert response.status_code == 200  # a lagging worker is an alert, not an outage
    body = response.json()
    assert body["degraded"] == ["outbox"]
    assert 400 <= body["outbox_lag_seconds"] < 460
    # Only states and a number: nothing about the event, its case or anyone.
    assert set(body) == {"database", "redis", "outbox_lag_seconds", "degraded"}


def test_readyz_stays_ready_while_a_fresh_event_waits_and_after_it_is_fanned_out(
    db, settings
) -> None:
    settings.READINESS_MAX_OUTBOX_LAG = 300
    event = Event.objects.create(
        kind=EventKind.CASE_UPDATED, created_at=timezone.now() - timedelta(seconds=30)
    )
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert 30 <= response.json()["outbox_lag_seconds"] < 90

    event.created_at = timezone.now() - timedelta(hours=1)
    event.dispatched_at = timezone.now()
    event.save(update_fields=["created_at", "dispatched_at"])
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["outbox_lag_seconds"] == 0


# Indexes the plans use


def _plan(queryset) -> str:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        # Small test tables are cheapest to scan; forbid that to see which index serves the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


@pytest.mark.usefixtures("postgres")
def test_the_inbox_reads_a_users_newest_page_from_its_index(demo) -> None:
    plan = _plan(inbox_for_user(demo.anna)[:25])
    assert "notification_inbox_newest" in plan, plan


@pytest.mark.usefixtures("postgres")
def test_the_case_list_reads_the_newest_cases_from_its_index(demo) -> None:
    plan = _plan(visible_cases(demo.anna).order_by("-created_at", "-id")[:50])
    assert "case_created_newest" in plan, plan
