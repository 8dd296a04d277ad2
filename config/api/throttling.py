"""Throttles backed by the default cache (Redis in production).

Rates are read from settings at request time, so tests and operators can change them without
re-importing views.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import throttling


def _rate(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class AnonRateThrottle(throttling.AnonRateThrottle):
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
        return super(throttling.ScopedRateThrottle, self).allow_request(request, view)
