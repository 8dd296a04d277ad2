"""Request parsers that refuse text no database column can hold.

PostgreSQL text cannot contain NUL characters; a lookup or write with one would fail deep in the
database layer. Refusing it while parsing gives the client a clear 400 wherever the value goes
(a field, a slug lookup, a filter), instead of a check in every serializer.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

NUL = "\x00"


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _refuse_nul(data: Any) -> Any:
    values = data.lists() if hasattr(data, "lists") else None
    found = any(_contains_nul(k) or _contains_nul(v) for k, v in values) if values else None
    if found or (found is None and _contains_nul(data)):
        raise ParseError(_("Text may not contain NUL characters."))
    return data


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class StrictFormParser(FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)
        return parsed


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
