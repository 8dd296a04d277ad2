"""Probes for a load balancer or orchestrator: `/healthz` (liveness) and `/readyz` (readiness).

Both are answered by `HealthProbeMiddleware`, first in MIDDLEWARE, before anything that could turn
a probe into something else: the HTTPS redirect (probes speak plain HTTP to the node), the
ALLOWED_HOSTS check (probes address the node by its own IP), sessions, language or login. The
URL patterns in config/urls.py name the same views, so `reverse()` works and a deployment that
reorders the middleware still answers.

Neither answer says anything about people or cases: only which dependency is failing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

# A probe must answer well inside the load balancer's own timeout, even with Redis frozen.
REDIS_TIMEOUT_SECONDS = 0.5


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches no database, cache or session."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 only when the database does not answer, since no page works without it.

    Redis down and a lagging outbox are reported as `degraded`, not failing: every page and
    endpoint works without Redis (publishing pauses, throttles fail open) and the outbox catches
    up, so taking every web node out of rotation at once would turn a worker's or Redis's trouble
    into an outage. Alert on `degraded` instead.
    """
    database = _database_state()
    lag = _outbox_lag_seconds() if database == "ok" else None
    body: dict[str, Any] = {
        "database": database,
        "redis": _redis_state(),
        "outbox_lag_seconds": lag,
    }
    degraded = ["redis"] if body["redis"] == "down" else []
    if lag is not None and lag > settings.READINESS_MAX_OUTBOX_LAG:
        degraded.append("outbox")
    if degraded:
        body["degraded"] = degraded
    if database != "ok":
        body["failing"] = ["database"]
    response = JsonResponse(body, status=200 if database == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _redis_state() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "not configured"
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "down"
    finally:
        client.close()
    return "ok"


def _outbox_lag_seconds() -> int:
    """Age of the oldest event whose fan-out has not completed (0 when none waits).

    Served by the partial index `event_undispatched` (created_at where dispatched_at is NULL).
    """
    from notifications.models import Event

    oldest = Event.objects.filter(dispatched_at__isnull=True).aggregate(oldest=Min("created_at"))
    if oldest["oldest"] is None:
        return 0
    return max(0, int((timezone.now() - oldest["oldest"]).total_seconds()))


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    """Answer GET/HEAD on the probe paths before any other middleware sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
