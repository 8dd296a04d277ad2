"""Signing in: the password, then (for a user with an authenticator app) a code.

A correct password for a user with a second factor signs nobody in yet: the session only
remembers who is half-way, for TWO_FACTOR_PENDING_SECONDS. Wrong codes count as failed sign-ins
for the sign-in throttle, so guessing codes pauses the account like guessing passwords.
"""

from __future__ import annotations

import math
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from ..forms import SignInCodeForm, SignInForm
from ..oidc import provider_label
from ..providers import identity_providers
from ..selectors import has_two_factor, recovery_codes_left, sign_in_paused_until
from ..services import two_factor_verify

PENDING = "accounts_sign_in_pending"


class SignInView(LoginView):
    """Django's sign-in page; a user with an authenticator app goes on to the code step."""

    form_class = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_provider_context()}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not has_two_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("sign_in_code")


def _pending(request: HttpRequest) -> tuple[AbstractBaseUser, dict[str, Any]] | None:
    """The half-signed-in user of this session, while the code step is still open."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > settings.TWO_FACTOR_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return (user, pending) if user is not None else None


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else resolve_url(settings.LOGIN_REDIRECT_URL)


def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: after the password, or for a signed-in session not yet verified."""
    found = _pending(request)
    if found is not None:
        user, pending = found
    elif request.user.is_authenticated and has_two_factor(request.user):
        if request.user.is_verified():
            return redirect(settings.LOGIN_REDIRECT_URL)
        user, pending = request.user, {"next": request.GET.get("next")}
    else:
        return redirect("login")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return sign_in_paused(request, None, credentials)
        device = two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            if found is not None:
                request.session.pop(PENDING, None)
                login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(_next_url(request, pending.get("next")))
        # Counted like a wrong password: past the limit, the throttle's middleware answers
        # with the paused page instead of this one.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error(
            "code",
            _("That code is not right. Type the code the app shows now, or a recovery code."),
        )
    context = {"form": form, "recovery_codes_left": recovery_codes_left(user)}
    return render(request, "accounts/sign_in_code.html", context)


def sign_in_paused(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page saying that sign-in is paused, until when, and what to do (429)."""
    request.session.pop(PENDING, None)
    until = sign_in_paused_until(request, (credentials or {}).get("username"))
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60)) if until else None
    context = {
        "form": AuthenticationForm(request),
        "paused": True,
        "paused_until": until,
        "pause_minutes": minutes,
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
        **_provider_context(),
    }
    return render(request, "registration/login.html", context, status=429)


def _provider_context() -> dict[str, Any]:
    """A single sign-on button per provider the deployment has."""
    providers = [(p.slug, provider_label(p)) for p in identity_providers().values()]
    return {"providers": providers} if providers else {}
