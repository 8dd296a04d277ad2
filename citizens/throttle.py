"""One limit per client address for submissions, shared by the web form and the API."""

from __future__ import annotations

from django.http import HttpRequest

from config.api.middleware import client_address
from config.api.throttling import KeyedRateThrottle

SCOPE = "experiences"


def submission_throttle(request: HttpRequest) -> KeyedRateThrottle:
    return KeyedRateThrottle(SCOPE, client_address(request))


def submission_allowed(request: HttpRequest) -> tuple[bool, int]:
    """Count this attempt; (allowed, seconds to wait when not). Every attempt counts, a refused
    or a caught one too: a robot learns nothing by trying."""
    throttle = submission_throttle(request)
    if throttle.allow():
        return True, 0
    return False, throttle.wait_seconds()
