"""Request parsers that refuse what no view should see: NUL characters, deep nesting, huge bodies.

PostgreSQL text cannot contain NUL characters; a lookup or write with one would fail deep in the
database layer. Refusing it while parsing gives the client a clear 400 wherever the value goes
(a field, a slug lookup, a filter), instead of a check in every serializer.

Deeply nested JSON would exhaust the interpreter's recursion (in the decoder and in any code that
walks the result), so its depth is measured by a linear scan before `json` decodes anything, and
the NUL check walks values with an explicit stack. A body over `API_MAX_BODY_BYTES` is refused
with 413 from its Content-Length before it is read, and reading stops at the limit when there is
no Content-Length.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

NUL = "\x00"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 32
READ_CHUNK = 64 * 1024

# A JSON string, or an unterminated one up to the end of the text. Possessive and never failing
# once it starts at a quote, so the scan stays linear whatever the body (no backtracking).
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\[\s\S]?)*+(?:"|\Z)')
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]+")
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


# Endpoints that take files get their own limit (documents: the attachment limit plus the form).
LARGE_BODY_PATHS: list[tuple[re.Pattern[str], Callable[[], int]]] = []


def body_limit_register(path_pattern: str, limit: Callable[[], int]) -> None:
    compiled = re.compile(path_pattern)
    if all(existing.pattern != compiled.pattern for existing, _limit in LARGE_BODY_PATHS):
        LARGE_BODY_PATHS.append((compiled, limit))


def max_body_bytes_for(request: Any) -> int:
    """The limit for this request's path: a registered upload limit, else API_MAX_BODY_BYTES."""
    path = getattr(request, "path", "") or ""
    for pattern, limit in LARGE_BODY_PATHS:
        if pattern.match(path):
            return limit()
    return max_body_bytes()


def max_json_depth() -> int:
    return int(getattr(settings, "API_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH))


def _declared_length(parser_context: dict[str, Any] | None) -> int | None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None


def refuse_oversized(parser_context: dict[str, Any] | None) -> None:
    """413 before reading anything when the client announces a body over the limit."""
    length = _declared_length(parser_context)
    limit = max_body_bytes_for((parser_context or {}).get("request"))
    if length is not None and length > limit:
        raise RequestTooLarge(
            _("The request body is too large: at most %(limit)d bytes.") % {"limit": limit}
        )


def read_limited(stream: Any) -> bytes:
    """The whole body, but never more than the limit (a body without Content-Length included)."""
    limit = max_body_bytes()
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(
                _("The request body is too large: at most %(limit)d bytes.") % {"limit": limit}
            )


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text; brackets inside strings do not count.

    Linear and without recursion: strings are cut out, the remaining brackets are summed.
    """
    brackets = _NOT_A_BRACKET.sub(b"", _JSON_STRING.sub(b"", body))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def _refuse_too_deep(body: bytes) -> None:
    limit = max_json_depth()
    if body.count(b"[") + body.count(b"{") <= limit:
        return  # too few openers to nest deeper (most bodies: skips the scan)
    if json_depth(body) > limit:
        raise ParseError(
            _("JSON is nested too deeply: at most %(limit)d levels.") % {"limit": limit}
        )


def _contains_nul(value: Any) -> bool:
    """Whether any key or string in the value holds a NUL (an explicit stack, no recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False


def _refuse_nul(data: Any) -> Any:
    values = list(data.lists()) if hasattr(data, "lists") else None
    found = _contains_nul(values) if values is not None else _contains_nul(data)
    if found:
        raise ParseError(_("Text may not contain NUL characters."))
    return data


def _refuse_other_charsets(parser_context: Any) -> None:
    """JSON is UTF-8 (RFC 8259, section 8.1). Another declared charset would also blind the
    depth scan, which reads the bytes as UTF-8."""
    declared = (parser_context or {}).get("encoding") or "utf-8"
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        name = ""
    if name != "utf-8":
        raise UnsupportedMediaType("application/json; charset=" + str(declared)[:40])


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        _refuse_other_charsets(parser_context)
        refuse_oversized(parser_context)
        body = read_limited(stream)
        _refuse_too_deep(body)
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as error:  # the depth check should make this unreachable
            raise ParseError(_("JSON is nested too deeply.")) from error
        return _refuse_nul(data)


class StrictFormParser(FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        refuse_oversized(parser_context)
        body = read_limited(stream)
        return _refuse_nul(super().parse(io.BytesIO(body), media_type, parser_context))


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        # Django's multipart parser reads no further than Content-Length, which is checked here.
        refuse_oversized(parser_context)
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)
        return parsed


class ApiBodyLimitMiddleware:
    """Answer a JSON 413 to an API request announcing a body over the limit, before anyone reads it.

    DRF reads `request.body` before its parsers run, and Django answers an HTML 400 for a body
    over DATA_UPLOAD_MAX_MEMORY_SIZE; checking Content-Length here gives API clients one clear
    answer and keeps a huge body from being read at all.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if request.path.startswith("/api/"):
            try:
                refuse_oversized({"request": request})
            except RequestTooLarge as error:
                from django.http import JsonResponse

                return JsonResponse({"detail": str(error.detail)}, status=error.status_code)
        return self.get_response(request)


class RejectNulInQueryMiddleware:
    """Answer 400 to an API request whose query string holds a NUL character (see above)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if request.path.startswith("/api/") and any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": str(_("Text may not contain NUL characters."))}, status=400
            )
        return self.get_response(request)
