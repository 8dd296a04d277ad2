"""Throttles backed by the default cache (Redis in production).

Rates are read from settings at request time, so tests and operators can change them without
re-importing views. A throttle whose cache is down lets the request through and logs a warning:
an outage of Redis must not turn every request into a 500 (the counters are a brake, not a
gate that access depends on).

The client address is REMOTE_ADDR as corrected by config.api.middleware.TrustedProxyMiddleware
(DRF's NUM_PROXIES is 0), so a client cannot pick its own address with X-Forwarded-For.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.dispatch import Signal
from rest_framework import throttling

logger = logging.getLogger(__name__)


def _rate(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


# Sent each time a throttle lets a request through uncounted because its cache raised (keyword
# arguments `scope`, `error`); a metrics exporter connects a counter. With the default Redis cache
# (config.cache.FailSafeRedisCache) this does not happen: the cache counts in memory instead and
# sends config.cache.cache_fallback.
throttle_failed_open = Signal()
FAILED_OPEN: Counter[str] = Counter()
LOG_EVERY_SECONDS = 10.0
_last_logged = 0.0


def _cache_unavailable(scope: str | None, error: Exception) -> bool:
    """Count and signal every uncounted request; log one line per LOG_EVERY_SECONDS at most."""
    global _last_logged
    FAILED_OPEN[scope or ""] += 1
    throttle_failed_open.send(sender=None, scope=scope, error=error)
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Throttle %s skipped, its cache is unavailable: %r", scope, error)
    return True


class FailOpenMixin:
    """Allow the request when the cache cannot be reached (see the module docstring)."""

    scope: str | None

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)  # type: ignore[misc]
        except Exception as error:  # any cache backend error means "cannot count"
            return _cache_unavailable(self.scope, error)


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """Per-view scopes (`throttle_scope = "tokens"`); any other write counts against "writes"."""

    def allow_request(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope and request.method not in ("GET", "HEAD", "OPTIONS"):
            self.scope = "writes"
        if not self.scope:
            return True
        self.rate = _rate(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return throttling.SimpleRateThrottle.allow_request(self, request, view)
        except Exception as error:
            return _cache_unavailable(self.scope, error)


class KeyedRateThrottle(throttling.SimpleRateThrottle):
    """A counter for one scope and one identity (a client address, an email address).

    `exhausted()` asks without counting and `record()` counts, so a caller can count only
    failures (bad tokens); `allow()` does both for callers that count every attempt (password
    reset requests). All three let the request through when the cache is down.
    """

    def __init__(self, scope: str, ident: str) -> None:
        self.scope = scope
        # Hashed: an email address never appears in the cache's keys.
        self.ident = hashlib.sha256(ident.encode()).hexdigest()[:32]
        super().__init__()

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_cache_key(self, request: Any = None, view: Any = None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}

    def _load(self) -> None:
        self.key = self.get_cache_key()
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def exhausted(self) -> bool:
        if self.rate is None:
            return False
        try:
            self._load()
        except Exception as error:
            return not _cache_unavailable(self.scope, error)
        return len(self.history) >= self.num_requests

    def record(self) -> None:
        if self.rate is None:
            return
        try:
            self._load()
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)
        except Exception as error:
            _cache_unavailable(self.scope, error)

    def allow(self) -> bool:
        if self.exhausted():
            return False
        self.record()
        return True

    def wait_seconds(self) -> int:
        """Seconds until the oldest counted attempt leaves the window (at least 1)."""
        if not getattr(self, "history", None):
            return int(self.duration or 1)
        return max(1, int(self.history[-1] + self.duration - self.now) + 1)
