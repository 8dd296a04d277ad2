"""One HTTP POST to a webhook endpoint, and what its outcome means for the delivery.

Outcomes (after healthchecks' transports: retry the transient, record the permanent):
- 2xx: delivered.
- 410 Gone: the receiver asks us to stop; the endpoint is disabled and the delivery is dead.
- 408, 429, 5xx, timeouts, connection and TLS errors: transient, retried with backoff.
- 3xx (redirects are not followed, so a moved endpoint must be updated by its admin) and every
  other 4xx: permanent, the delivery is dead at once. Retrying a 400/401/404 only repeats it.
- a URL that is not http(s): permanent (checked here again, whatever the database holds).
- a host that resolves to a loopback, private or link-local address, unless
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: permanent, so an endpoint cannot reach into our own network.
  (The address is checked before connecting, not pinned for the connection: a DNS answer that
  changes in between is not caught.)
"""

from __future__ import annotations

import enum
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

ALLOWED_SCHEMES = ("http", "https")
TRANSIENT_CLIENT_ERRORS = (408, 429)
# We only need the status; reading a little lets the server finish its answer cleanly.
RESPONSE_READ_LIMIT = 4096


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    DEAD = "dead"
    GONE = "gone"


@dataclass(frozen=True)
class Response:
    status_code: int | None
    error: str
    duration_ms: int
    outcome: Outcome


def classify(status_code: int | None) -> Outcome:
    """What a status code (None: no answer at all) means for the delivery."""
    if status_code is None:
        return Outcome.RETRY
    if 200 <= status_code < 300:
        return Outcome.DELIVERED
    if status_code == 410:
        return Outcome.GONE
    if status_code >= 500 or status_code in TRANSIENT_CLIENT_ERRORS:
        return Outcome.RETRY
    return Outcome.DEAD


def url_is_allowed(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def host_is_public(url: str) -> bool:
    """Every address the host resolves to is a public one (unresolvable: not public)."""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect comes back as the 3xx it is; we never follow it, to any scheme."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# No proxy from the environment: the endpoint URL is exactly where the request goes.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST once, never raising: every failure becomes a Response with an error text."""
    if not url_is_allowed(url):
        refused = _("Refused: only http and https URLs are allowed.")
        return Response(None, refused, 0, Outcome.DEAD)
    if not settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS and not host_is_public(url):
        refused = _("Refused: the host is not a public internet address.")
        return Response(None, refused, 0, Outcome.DEAD)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.monotonic()
    status_code, error = _send(request)
    duration_ms = int((time.monotonic() - started) * 1000)
    return Response(status_code, error, duration_ms, classify(status_code))


def _send(request: urllib.request.Request) -> tuple[int | None, str]:
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as answer:
            answer.read(RESPONSE_READ_LIMIT)
            return answer.status, ""
    except urllib.error.HTTPError as answer:
        answer.close()
        return answer.code, f"HTTP {answer.code} {answer.reason}"[:500]
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        return None, f"{type(failure).__name__}: {reason}"[:500]
