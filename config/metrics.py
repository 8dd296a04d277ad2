"""Prometheus metrics at `/metrics`: requests, the outbox, the queues and the deliveries.

Two kinds of numbers, two sources:

- *Requests* (`samverkan_http_requests_total`, `samverkan_http_request_duration_seconds`) are
  counted in the web process by `MetricsMiddleware`, labelled with the method, the URL's name
  (never the raw path, so the label set stays small whatever the ids) and the status class.
  Counters live in the process that served the request: under gunicorn with several workers, set
  `PROMETHEUS_MULTIPROC_DIR` to an empty directory writable by the workers (cleared before the
  start) and every worker writes its counts there; any worker's scrape then adds them all up
  (prometheus_client's multiprocess mode; `config/gunicorn.py` forgets a dead worker's gauges).
- *Pipeline state* (outbox, queue lengths, deliveries by state) is read at scrape time from
  PostgreSQL and Redis by `PipelineCollector`. Those numbers do not depend on which process
  answers, so they are right with any number of workers. Every query is bounded: each count runs
  over a partial index that holds only the rows in flight or failed (never the sent history),
  and Redis is asked for list lengths with a short timeout.

`/metrics` is answered by the middleware before the HTTPS redirect and the host check (a
scraper addresses each node by its IP over plain HTTP), and only to a scraper that presents
`Authorization: Bearer <METRICS_TOKEN>` or comes from METRICS_ALLOWED_ADDRESSES. With neither
configured the endpoint does not exist (404); configured but not satisfied, it is 403: the path
is no secret, and a scraper's operator should see at once that its credentials are wrong.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, IntegerField, Min, QuerySet, Value
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from config.api.throttling import throttle_failed_open
from config.cache import cache_fallback

logger = logging.getLogger(__name__)

PATH = "/metrics"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
REDIS_TIMEOUT_SECONDS = 0.5
# kombu's Redis transport keeps a queue's prioritised messages in lists named queue + sep + step.
REDIS_PRIORITY_SEPARATOR = "\x06\x16"
REDIS_PRIORITY_STEPS = (3, 6, 9)

REQUESTS = Counter(
    "samverkan_http_requests",
    "HTTP requests answered, by method, URL name and status class.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "samverkan_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and URL name.",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

CACHE_FALLBACKS = Counter(
    "samverkan_cache_fallbacks",
    "Cache calls served from this process's memory because Redis failed or its breaker was open.",
    ["operation", "reason"],
)
THROTTLES_FAILED_OPEN = Counter(
    "samverkan_throttles_failed_open",
    "API requests let through uncounted because the throttle's cache raised, by throttle scope.",
    ["scope"],
)


def _cache_fallback_count(sender: Any, operation: str, reason: str, **kwargs: Any) -> None:
    CACHE_FALLBACKS.labels(operation=operation, reason=reason).inc()


def _throttle_failed_open_count(sender: Any, scope: str | None, **kwargs: Any) -> None:
    THROTTLES_FAILED_OPEN.labels(scope=scope or "").inc()


# Redis down: the cache and the throttles say so (config/cache.py, config/api/throttling.py).
cache_fallback.connect(_cache_fallback_count, weak=False)
throttle_failed_open.connect(_throttle_failed_open_count, weak=False)


def route_of(request: HttpRequest) -> str:
    """The URL's name (`case_detail`, `api:case-list`): a small, fixed set of label values."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"  # 404s, redirects and refusals made before URL resolution
    return match.view_name or "unnamed"


def request_observe(request: HttpRequest, status_code: int, seconds: float) -> None:
    method = request.method if request.method in METHODS else "other"
    route = route_of(request)
    REQUESTS.labels(method, route, f"{status_code // 100}xx").inc()
    LATENCY.labels(method, route).observe(seconds)


# The pipeline, read at scrape time.


def configured_queues() -> list[str]:
    """The Celery queues this deployment routes tasks to: the declared ones, else the default
    queue and any named in the task routes."""
    from config.celery import app

    declared = app.conf.task_queues
    if declared:
        return sorted({queue.name for queue in declared})
    names = {app.conf.task_default_queue}
    routes = app.conf.task_routes or {}
    if isinstance(routes, dict):
        names.update(r["queue"] for r in routes.values() if isinstance(r, dict) and "queue" in r)
    return sorted(names)


def _redis_url() -> str:
    url = getattr(settings, "REDIS_URL", "") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


def queue_lengths(url: str, queues: Iterable[str]) -> dict[str, int]:
    """Messages waiting in each queue (all priority lists); raises redis.RedisError if down."""
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        pipe = client.pipeline(transaction=False)
        queues = list(queues)
        for name in queues:
            pipe.llen(name)
            for step in REDIS_PRIORITY_STEPS:
                pipe.llen(f"{name}{REDIS_PRIORITY_SEPARATOR}{step}")
        lengths = pipe.execute()
    finally:
        client.close()
    per_queue = 1 + len(REDIS_PRIORITY_STEPS)
    return {
        name: sum(lengths[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(queues)
    }


def outbox_state() -> tuple[int, float]:
    """Events not yet fanned out and the age of the oldest (seconds); one query over the
    partial index `event_undispatched`."""
    from notifications.models import Event

    row = Event.objects.filter(dispatched_at__isnull=True).aggregate(
        pending=Count("id"), oldest=Min("created_at")
    )
    if row["oldest"] is None:
        return row["pending"], 0.0
    return row["pending"], max(0.0, (timezone.now() - row["oldest"]).total_seconds())


def counts_query(model: Any, states: Sequence[str], group: str) -> QuerySet[Any]:
    """One query, a UNION ALL of one count per state, so each part is served by that state's
    partial index; rows are (index of the state, group value, count)."""
    parts = [
        model.objects.filter(state=state)
        .order_by()
        .values(group)
        .annotate(n=Count("id"), state_=Value(index, output_field=IntegerField()))
        .values_list("state_", group, "n")
        for index, state in enumerate(states)
    ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _counts_by_state(model: Any, states: Sequence[str], group: str) -> list[tuple[str, str, int]]:
    """(state, group value, count) for each state that has rows."""
    rows = counts_query(model, states, group)
    return [(states[index], value, n) for index, value, n in rows]


# Deliveries counted by state: those in flight and those that failed. Each has a partial index;
# sent/delivered rows are history that grows without bound and is never counted at scrape time.
EMAIL_STATES = ("pending", "sending", "failed")
WEBHOOK_STATES = ("pending", "retrying", "dead")


def email_delivery_counts() -> list[tuple[str, str, int]]:
    from notifications.models import Delivery

    return _counts_by_state(Delivery, EMAIL_STATES, "channel")


def webhook_delivery_counts() -> dict[str, int]:
    from notifications.models import WebhookDelivery

    counts = dict.fromkeys(WEBHOOK_STATES, 0)
    for state, _endpoint_group, n in _counts_by_state(WebhookDelivery, WEBHOOK_STATES, "state"):
        counts[state] += n
    return counts


def _gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


class PipelineCollector:
    """Gauges read at scrape time: the same answer from any web process."""

    def collect(self) -> Iterator[Metric]:
        yield from self._database()
        yield from self._queues()

    def _database(self) -> Iterator[Metric]:
        up = _gauge("samverkan_database_up", "1 if the scrape could read the database.")
        try:
            pending, oldest = outbox_state()
            emails = email_delivery_counts()
            webhooks = webhook_delivery_counts()
        except DatabaseError:
            logger.warning("Metrics: the database did not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(
            "samverkan_outbox_pending_events",
            "Events written but not yet fanned out to their recipients.",
            value=pending,
        )
        yield GaugeMetricFamily(
            "samverkan_outbox_oldest_pending_age_seconds",
            "Age of the oldest event not yet fanned out (0 when none waits).",
            value=oldest,
        )
        email = _gauge(
            "samverkan_email_deliveries",
            "Email and digest deliveries in flight or failed, by channel and state "
            "(state=failed: emails given up on).",
            ["channel", "state"],
        )
        seen = {(channel, state) for state, channel, _n in emails}
        for state, channel, n in emails:
            email.add_metric([channel, state], n)
        for state in EMAIL_STATES:
            for channel in ("email", "digest"):
                if (channel, state) not in seen:
                    email.add_metric([channel, state], 0)
        yield email
        webhook = _gauge(
            "samverkan_webhook_deliveries",
            "Webhook deliveries in flight or failed, by state (retrying: the last attempt "
            "failed and another is scheduled; dead: given up on).",
            ["state"],
        )
        for state, n in webhooks.items():
            webhook.add_metric([state], n)
        yield webhook

    def _queues(self) -> Iterator[Metric]:
        url = _redis_url()
        if not url:
            return  # the embedded default: tasks run in-process, nothing waits in a queue
        up = _gauge("samverkan_redis_up", "1 if the scrape could read the broker's queues.")
        try:
            lengths = queue_lengths(url, configured_queues())
        except (redis.RedisError, OSError):
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        queued = _gauge(
            "samverkan_celery_queue_length", "Tasks waiting in each Celery queue.", ["queue"]
        )
        for name, length in lengths.items():
            queued.add_metric([name], length)
        yield queued


class _Scrape:
    """What one scrape exposes: this process's (or all processes') request metrics and the
    pipeline's gauges."""

    def __init__(self, *sources: Any) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def request_registry() -> Any:
    """The default registry, or in multiprocess mode one that adds up every worker's files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def exposition() -> bytes:
    return generate_latest(_Scrape(request_registry(), PipelineCollector()))  # type: ignore[arg-type]


# Access


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _address_allowed(address: str, networks: Iterable[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n.strip(), strict=False) for n in networks)


def access_status(request: HttpRequest) -> int:
    """200 if the caller may scrape; 404 when metrics are not configured; 403 otherwise."""
    token = settings.METRICS_TOKEN
    networks = settings.METRICS_ALLOWED_ADDRESSES
    if not token and not networks:
        return 404
    presented = _bearer(request)
    if token and presented and hmac.compare_digest(presented.encode(), token.encode()):
        return 200
    if networks and _address_allowed(request.META.get("REMOTE_ADDR", ""), networks):
        return 200
    return 403


def metrics(request: HttpRequest) -> HttpResponse:
    status = access_status(request)
    if status != 200:
        return HttpResponse(status=status, content_type="text/plain")
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class MetricsMiddleware:
    """Answer `/metrics` before the HTTPS redirect and host check; count and time the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return metrics(request)
        started = time.perf_counter()
        response = self.get_response(request)
        request_observe(request, response.status_code, time.perf_counter() - started)
        return response
