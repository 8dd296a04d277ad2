"""/dev/mailbox/: the emails the local mailbox kept. DEBUG only; anyone signed in may read them.

Every signed-in demo user reads everyone's mail here: in DEBUG the data are demo data, and a
newcomer trying an invitation or a password reset needs the other persona's email. With DEBUG off
the pages do not exist (404), whatever the email backend.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import SentEmail
from .services import sent_email_list

PAGE_SIZE = 25


def debug_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEBUG:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _backend_is_mailbox() -> bool:
    return settings.EMAIL_BACKEND == "config.devmail.backend.EmailBackend"


@debug_only
@login_required
def mailbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(sent_email_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "devmail/mailbox.html",
        {"page": page, "backend_is_mailbox": _backend_is_mailbox()},
    )


@debug_only
@login_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(SentEmail, pk=pk)
    return render(request, "devmail/message.html", {"email": email})


@debug_only
@login_required
def message_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML version as its own page, sandboxed: no script, no form, no same-origin access."""
    email = get_object_or_404(SentEmail, pk=pk)
    if not email.html:
        raise Http404
    response = HttpResponse(email.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response
