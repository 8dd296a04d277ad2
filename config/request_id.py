"""The request id: one token that follows a change from the web request through its outbox event
to the Celery tasks that fan it out, email it and post it to webhooks.

A caller (a reverse proxy, an API client) may send `X-Request-ID`; a well-formed one is kept so
its logs and ours can be joined, anything else is replaced with a fresh id. The id lives in a
context variable for the duration of the request or task; `config.logs.RequestIdFilter` adds it
to every log record, `notifications.services.event_record` stores it on the event row, and
`config.logs` hands it to each task published meanwhile (a task header) and binds it again in the
worker.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
MAX_LENGTH = 64
# Letters, digits and a few separators: a UUID, a hex trace id, a proxy's "abc-123.4". Nothing
# that could break a log line or a header (no spaces, quotes or control characters).
_VALID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:-]{{0,{MAX_LENGTH - 1}}}")

access_logger = logging.getLogger("samverkan.requests")

_current: ContextVar[str | None] = ContextVar("samverkan_request_id", default=None)


def current() -> str | None:
    """The request id of the request or task being served, if any."""
    return _current.get()


def clean(value: str | None) -> str | None:
    """`value` if it is an acceptable request id, else None."""
    if value and _VALID.fullmatch(value):
        return value
    return None


def generate() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound(request_id: str | None) -> Iterator[str | None]:
    """Make `request_id` the current one inside the block; the previous one comes back after."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


def bind(request_id: str | None) -> None:
    """Set the current request id until `unbind` (for Celery's prerun/postrun signal pair)."""
    _current.set(request_id)


def unbind() -> None:
    _current.set(None)


class RequestIdMiddleware:
    """Take a valid `X-Request-ID` or make one; keep it current while the request is served and
    return it in the response's `X-Request-ID`. With LOG_REQUESTS (on with JSON logs), one
    access line per request under its id: gunicorn's own access log knows no request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = clean(request.headers.get(HEADER)) or generate()
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        with bound(request_id):
            response = self.get_response(request)
            if getattr(settings, "LOG_REQUESTS", False):
                _access_log(request, response, time.perf_counter() - started)
        response[HEADER] = request_id
        return response


def _access_log(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
    """Method, path (without the query string, which may hold search words), status, time."""
    user = getattr(request, "user", None)
    access_logger.info(
        "%s %s %s in %.0f ms",
        request.method,
        request.path,
        response.status_code,
        seconds * 1000,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        },
    )
