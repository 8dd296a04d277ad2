"""One HTTP POST to a webhook endpoint, and what its outcome means for the delivery.

Outcomes (after healthchecks' transports: retry the transient, record the permanent):
- 2xx: delivered.
- 410 Gone: the receiver asks us to stop; the endpoint is disabled and the delivery is dead.
- 408, 429, 5xx, timeouts, connection and TLS errors: transient, retried with backoff.
- 3xx (redirects are not followed, so a moved endpoint must be updated by its admin) and every
  other 4xx: permanent, the delivery is dead at once. Retrying a 400/401/404 only repeats it.
- a URL that is not http(s): permanent (checked here again, whatever the database holds).
- a host with any address that is not public (addresses.py: an allow-list of global unicast
  space minus the IANA special-purpose registries), or that does not resolve, unless
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: permanent, so an endpoint cannot reach into our own network.
  The name is resolved once and the connection goes to a checked address, with the URL's host
  name in the Host header and for TLS (SNI and the certificate check): a DNS answer that changes
  between the check and the connection (rebinding) is never used.
"""

from __future__ import annotations

import enum
import functools
import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from . import addresses

ALLOWED_SCHEMES = ("http", "https")
TRANSIENT_CLIENT_ERRORS = (408, 429)
# We only need the status; reading a little lets the server finish its answer cleanly.
RESPONSE_READ_LIMIT = 4096
# Addresses of one host tried in turn when a connection fails, each with the full timeout.
ADDRESSES_TRIED = 3


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


class _PinnedConnection(http.client.HTTPConnection):
    """Plain HTTP to an address checked beforehand; the Host header still names the host."""

    def __init__(self, host: str, port: int, *, pinned: list[str], **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        # http.client opens its socket through this hook; we open it to a checked address
        # instead of letting it resolve the host name a second time.
        self._create_connection = functools.partial(_connect_first, pinned)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address; http.client wraps the socket with server_hostname=host, so
    SNI and certificate verification are for the URL's host name."""

    def __init__(self, host: str, port: int, *, pinned: list[str], **kwargs: Any) -> None:
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._create_connection = functools.partial(_connect_first, pinned)


def _connect_first(
    pinned: list[str], host_port: tuple[str, int], timeout: float, *args: Any
) -> socket.socket:
    """Connect to the first checked address that answers (as socket.create_connection would
    try each address of a name in turn), trying a few only so the send stays within its
    time limit (see tasks.py)."""
    failure: OSError = OSError("no address to connect to")
    for address in pinned[:ADDRESSES_TRIED]:
        try:
            return socket.create_connection((address, host_port[1]), timeout)
        except OSError as error:
            failure = error
    raise failure


def _connection(parts: SplitResult, pinned: list[str]) -> http.client.HTTPConnection:
    kind = _PinnedHTTPSConnection if parts.scheme.lower() == "https" else _PinnedConnection
    return kind(
        parts.hostname or "",
        _port(parts),
        pinned=pinned,
        timeout=settings.WEBHOOK_TIMEOUT,
    )


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST once, never raising: every failure becomes a Response with an error text."""
    if not url_is_allowed(url):
        refused = _("Refused: only http and https URLs are allowed.")
        return Response(None, refused, 0, Outcome.DEAD)
    parts = urlsplit(url)
    try:
        found = addresses.checked_addresses(
            parts.hostname or "",
            _port(parts),
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
        )
    except addresses.HostUnresolved as failure:
        # A name server that does not answer now is a network error like any other: retried with
        # backoff, never a reason to drop the delivery at once.
        return Response(None, f"HostUnresolved: {failure}"[:500], 0, classify(None))
    except (addresses.AddressRefused, ValueError):
        refused = _("Refused: the host is not a public internet address.")
        return Response(None, refused, 0, Outcome.DEAD)
    started = time.monotonic()
    status_code, error = _send(parts, found, body, headers)
    duration_ms = int((time.monotonic() - started) * 1000)
    return Response(status_code, error, duration_ms, classify(status_code))


def _send(
    parts: SplitResult, found: list[str], body: bytes, headers: dict[str, str]
) -> tuple[int | None, str]:
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connection(parts, found)
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(RESPONSE_READ_LIMIT)
        if 200 <= answer.status < 300:
            return answer.status, ""
        return answer.status, f"HTTP {answer.status} {answer.reason}"[:500]
    except (http.client.HTTPException, OSError, ValueError) as failure:
        return None, f"{type(failure).__name__}: {failure}"[:500]
    finally:
        connection.close()
