"""A Redis cache that never turns a Redis outage into a failed request.

Samverkan's cache holds only what may be lost: the API throttles' counters. When Redis is
stopped, unreachable or frozen (a stopped process accepts connections and never answers), every
cache call falls back to a small in-process cache (Django's LocMemCache), so a throttle keeps
counting per web process instead of raising a 500:

1. Short socket timeouts (settings.CACHE_REDIS_TIMEOUT): a frozen Redis costs one timeout, not
   Django's default of blocking.
2. A circuit breaker: after one failure, calls skip Redis for CACHE_CIRCUIT_BREAKER_SECONDS and go
   straight to the local cache, so a frozen Redis costs one timeout per process and period, not
   one per request. The first call after the period probes Redis again.
3. The breaker and the local cache are shared by every thread of the process (Django makes one
   cache object per thread).

Operators see a degradation two ways: a WARNING log line at most once per breaker period (with
how many calls fell back since the last line), and the `cache_fallback` signal, sent for every
call that fell back (a metrics exporter connects a counter to it; `FALLBACKS` counts them too).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import Any

import redis
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent for every cache call served by the local fallback: sender is the backend class,
# keyword arguments `operation` (e.g. "get") and `reason` ("error" or "circuit open").
cache_fallback = Signal()

# Calls served by the local fallback since the process started, by operation.
FALLBACKS: Counter[str] = Counter()

# Errors that mean "Redis cannot answer now"; anything else (a bad key, a value that cannot be
# pickled) is a bug and is raised as before.
UNAVAILABLE = (redis.exceptions.RedisError, OSError)

GUARDED = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class _Breaker:
    """Open (skip Redis) until `open_until`; shared by every thread for one Redis location."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.logged_at = 0.0
        self.unlogged = 0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, seconds: float) -> None:
        with self.lock:
            self.open_until = time.monotonic() + seconds

    def close(self) -> None:
        self.open_until = 0.0

    def note_fallback(self, seconds: float, operation: str, error: Exception | None) -> None:
        """Count a fallback; log at most once per breaker period (a log line per request would
        flood the logs exactly when an operator reads them)."""
        with self.lock:
            self.unlogged += 1
            now = time.monotonic()
            if now - self.logged_at < seconds:
                return
            count, self.unlogged, self.logged_at = self.unlogged, 0, now
        logger.warning(
            "The Redis cache is unavailable; %d cache call(s) served by the in-process cache "
            "(last: %s, %r). Throttles count per web process until Redis answers.",
            count,
            operation,
            error,
        )


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache with short timeouts, a circuit breaker and an in-process fallback."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        timeout = settings.CACHE_REDIS_TIMEOUT
        options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
        options.update(params.get("OPTIONS", {}))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _breaker_for(str(server))
        local = {key: value for key, value in params.items() if key != "OPTIONS"}
        # LocMemCache shares its storage by name: every thread's instance sees the same counters.
        self._local = LocMemCache(f"failsafe:{server}", local)

    @property
    def breaker_seconds(self) -> float:
        return settings.CACHE_CIRCUIT_BREAKER_SECONDS

    def _call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if self._breaker.is_open():
            return self._fall_back(operation, "circuit open", None, args, kwargs)
        try:
            result = getattr(RedisCache, operation)(self, *args, **kwargs)
        except UNAVAILABLE as error:
            self._breaker.trip(self.breaker_seconds)
            return self._fall_back(operation, "error", error, args, kwargs)
        self._breaker.close()
        return result

    def _fall_back(
        self,
        operation: str,
        reason: str,
        error: Exception | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        FALLBACKS[operation] += 1
        self._breaker.note_fallback(self.breaker_seconds, operation, error)
        cache_fallback.send(sender=type(self), operation=operation, reason=reason)
        return getattr(self._local, operation)(*args, **kwargs)


def _guarded(operation: str) -> Any:
    def method(self: FailSafeRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._call(operation, *args, **kwargs)

    method.__name__ = operation
    method.__doc__ = f"RedisCache.{operation}, served locally while Redis is unavailable."
    return method


for _operation in GUARDED:
    setattr(FailSafeRedisCache, _operation, _guarded(_operation))
