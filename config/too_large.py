"""A page that says what happened when a form is too large to accept.

Django refuses a request body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with more fields than
DATA_UPLOAD_MAX_NUMBER_FIELDS) when the form is first read, usually in the CSRF check; the
exception turns into a bare 400 page (or, under DEBUG, a traceback). This middleware reads the
form first, so the refusal becomes a page in the user's language that says what to do.

The API is left alone: ApiBodyLimitMiddleware (config/api/parsers.py) answers its JSON 413 first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _reads_a_form(request: HttpRequest) -> bool:
    return (
        request.method == "POST"
        and not request.path.startswith("/api/")
        and request.content_type in FORM_CONTENT_TYPES
    )


class TooLargeRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _reads_a_form(request):
            try:
                request.POST  # noqa: B018 - parsed here so that a refusal is answered here
            except (RequestDataTooBig, TooManyFieldsSent) as error:
                # django.request logs the 413 itself ("Request Entity Too Large").
                request._mark_post_parse_error()  # type: ignore[attr-defined]
                return too_large_response(
                    request, too_many_fields=isinstance(error, TooManyFieldsSent)
                )
        return self.get_response(request)


def _same_site_referer(request: HttpRequest) -> str:
    """The form's address, to go back to; never a link to another site."""
    referer = request.META.get("HTTP_REFERER", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if allowed else ""


def too_large_response(request: HttpRequest, *, too_many_fields: bool = False) -> HttpResponse:
    """413 Content Too Large, with the limit and what to do."""
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    context = {
        "limit_mb": f"{limit_mb:.1f}".rstrip("0").rstrip("."),
        "too_many_fields": too_many_fields,
        "back": _same_site_referer(request),
    }
    return render(request, "413.html", context, status=413)
