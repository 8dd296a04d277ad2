"""/metrics: who may scrape it, and that its numbers follow what happens (requests, events,
deliveries, queues). Parsed with prometheus_client's own parser, as Prometheus would."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from notifications.choices import Channel, DeliveryState, EventKind
from notifications.models import Delivery, Event
from notifications.webhooks.choices import DeliveryState as WebhookState
from notifications.webhooks.models import WebhookDelivery

TOKEN = "scrape-token-for-tests-0123456789"
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def scraping(settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = []


def scrape(**headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of one scrape: (name, sorted labels) -> value."""
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# Access


def test_metrics_do_not_exist_until_a_token_or_an_address_is_configured(db, settings) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = []
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer anything")
    assert response.status_code == 404
    assert b"samverkan" not in response.content


def test_metrics_refuse_a_scraper_without_the_token(db, scraping) -> None:
    client = Client()
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    refused = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert b"samverkan_" not in refused.content


def test_metrics_answer_an_allowed_address_without_a_token(db, settings) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.9.0/24"]
    assert Client(REMOTE_ADDR="10.0.9.17").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.0.8.17").get("/metrics").status_code == 403


def test_metrics_are_scraped_on_the_nodes_address_over_plain_http(db, scraping, settings) -> None:
    # Prometheus scrapes each node by IP over HTTP: no HTTPS redirect, no 400 for the host.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["samverkan.example.se"]
    response = Client().get(
        "/metrics", HTTP_HOST="10.0.3.7:8000", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 200
    assert b"samverkan_outbox_pending_events" in response.content


# Requests


def test_a_page_request_is_counted_and_timed_under_its_url_name(demo, scraping) -> None:
    before = scrape()
    client = Client()
    client.force_login(demo.anna)
    assert client.get("/cases/").status_code == 200
    assert client.get(f"/cases/{demo.youth.reference}/").status_code == 200
    assert client.get("/cases/SAM-1999-9999/").status_code == 404
    after = scrape()

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"method": "GET", "route": "case_list", "status": "2xx"}
    assert grew("samverkan_http_requests_total", **ok) == 1
    assert grew("samverkan_http_requests_total", **{**ok, "route": "case_detail"}) == 1
    missing = {"method": "GET", "route": "case_detail", "status": "4xx"}
    assert grew("samverkan_http_requests_total", **missing) == 1
    timed = {"method": "GET", "route": "case_list"}
    assert grew("samverkan_http_request_duration_seconds_count", **timed) == 1
    assert grew("samverkan_http_request_duration_seconds_bucket", **timed, le="+Inf") == 1
    # Labels are URL names, never raw paths: no case reference or id becomes a label value.
    routes = {dict(labels).get("route", "") for (_name, labels) in after}
    assert not any("/" in route or "SAM-" in route for route in routes), routes


def test_the_scrape_itself_is_not_counted_and_costs_three_queries(
    db, scraping, django_assert_num_queries
) -> None:
    before = scrape()
    with django_assert_num_queries(3):  # outbox, emails by state, webhooks by state
        after = scrape()
    scrapes = [labels for (name, labels) in after if name == "samverkan_http_requests_total"]
    assert not [labels for labels in scrapes if ("route", "metrics") in labels]
    assert after.keys() >= before.keys()


# The pipeline, read from the database at scrape time


def test_a_pending_event_shows_in_the_outbox_gauges_until_it_is_fanned_out(demo, scraping):
    before = scrape()
    event = Event.objects.create(
        kind=EventKind.CASE_UPDATED, case=demo.youth, created_at=timezone.now() - timedelta(60)
    )
    during = scrape()
    assert value(during, "samverkan_outbox_pending_events") == (
        value(before, "samverkan_outbox_pending_events") + 1
    )
    assert value(during, "samverkan_outbox_oldest_pending_age_seconds") >= 60 * 86400
    Event.objects.filter(pk=event.pk).update(dispatched_at=timezone.now())
    after = scrape()
    assert value(after, "samverkan_outbox_pending_events") == value(
        before, "samverkan_outbox_pending_events"
    )


def test_failed_emails_and_dead_webhooks_are_counted_by_state(
    demo, scraping, make_endpoint
) -> None:
    event = Event.objects.create(kind=EventKind.CASE_UPDATED, case=demo.youth, dispatched_at=None)
    email = Delivery.objects.create(event=event, channel=Channel.EMAIL, recipient=demo.carl)
    endpoint = make_endpoint(demo.orgs.sodertalje, "http://127.0.0.1:9/hook")
    hook = WebhookDelivery.objects.create(event=event, endpoint=endpoint)
    before = scrape()
    email_failed = {"channel": "email", "state": "failed"}
    email_pending = {"channel": "email", "state": "pending"}

    Delivery.objects.filter(pk=email.pk).update(state=DeliveryState.FAILED)
    WebhookDelivery.objects.filter(pk=hook.pk).update(state=WebhookState.DEAD)
    after = scrape()

    assert value(after, "samverkan_email_deliveries", **email_failed) == (
        value(before, "samverkan_email_deliveries", **email_failed) + 1
    )
    assert value(after, "samverkan_email_deliveries", **email_pending) == (
        value(before, "samverkan_email_deliveries", **email_pending) - 1
    )
    assert value(after, "samverkan_webhook_deliveries", state="dead") == (
        value(before, "samverkan_webhook_deliveries", state="dead") + 1
    )
    assert value(after, "samverkan_webhook_deliveries", state="pending") == (
        value(before, "samverkan_webhook_deliveries", state="pending") - 1
    )


def test_on_the_embedded_default_there_are_no_queue_lengths(db, scraping, settings) -> None:
    settings.REDIS_URL = ""
    samples = scrape()
    assert not [name for (name, _labels) in samples if name.startswith("samverkan_celery_")]
    assert not [name for (name, _labels) in samples if name == "samverkan_redis_up"]


@pytest.mark.redis
def test_queue_lengths_are_read_from_the_brokers_redis(db, scraping, settings, own_redis) -> None:
    settings.REDIS_URL = own_redis.url
    fanout, email = settings.NOTIFICATIONS_QUEUE_FANOUT, settings.NOTIFICATIONS_QUEUE_EMAIL
    client = redis.Redis.from_url(own_redis.url)
    client.rpush(fanout, "a", "b", "c")
    client.rpush(f"{fanout}\x06\x166", "d")  # kombu's list for a prioritised message
    client.rpush(email, "e")
    samples = scrape()
    assert value(samples, "samverkan_redis_up") == 1
    assert value(samples, "samverkan_celery_queue_length", queue=fanout) == 4
    assert value(samples, "samverkan_celery_queue_length", queue=email) == 1
    assert value(samples, "samverkan_celery_queue_length", queue="webhooks") == 0
    client.delete(fanout, f"{fanout}\x06\x166", email)
    assert value(scrape(), "samverkan_celery_queue_length", queue=fanout) == 0


def test_a_scrape_with_redis_down_answers_at_once_and_says_so(db, scraping, settings) -> None:
    settings.REDIS_URL = CLOSED_PORT_REDIS
    started = time.monotonic()
    samples = scrape()
    assert time.monotonic() - started < 2
    assert value(samples, "samverkan_redis_up") == 0
    assert value(samples, "samverkan_database_up") == 1


def _plan(queryset) -> str:  # type: ignore[no-untyped-def]
    from django.db import connection

    with connection.cursor() as cursor:
        # Small test tables are cheapest to scan; forbid that to see which index serves the count.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.usefixtures("postgres")
def test_the_scrapes_counts_read_partial_indexes_never_the_delivery_history(db) -> None:
    from config.metrics import EMAIL_STATES, WEBHOOK_STATES, counts_query

    emails = _plan(counts_query(Delivery, EMAIL_STATES, "channel"))
    for index in ("delivery_pending", "delivery_sending", "delivery_failed"):
        assert index in emails, emails
    webhooks = _plan(counts_query(WebhookDelivery, WEBHOOK_STATES, "state"))
    for index in ("webhook_delivery_due", "webhook_delivery_dead"):
        assert index in webhooks, webhooks
    outbox = _plan(Event.objects.filter(dispatched_at__isnull=True).values("created_at"))
    assert "event_undispatched" in outbox, outbox


# Redis down: the cache serves from memory and the scrape says how often


def test_a_cache_that_lost_redis_shows_in_the_metrics(demo, scraping, settings) -> None:
    from agencies.services import api_token_create

    settings.CACHES = {
        "default": {"BACKEND": "config.cache.FailSafeRedisCache", "LOCATION": CLOSED_PORT_REDIS}
    }
    before = scrape()
    client = Client()
    _token, secret = api_token_create(user=demo.anna, name="metrics")
    for _ in range(3):
        response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200  # the throttles counted in memory, no 500
    after = scrape()
    fallen_back = sum(
        after[key] - before.get(key, 0.0)
        for key in after
        if key[0] == "samverkan_cache_fallbacks_total"
    )
    assert fallen_back >= 3
