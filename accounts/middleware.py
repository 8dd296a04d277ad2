"""Members of TWO_FACTOR_REQUIRED_GROUPS reach nothing but the set-up until they verify a code."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import has_two_factor, two_factor_required

# Paths a user who still owes a second factor may reach (besides the set-up and code step).
OPEN_PREFIXES = ("/i18n/", "/static/", "/healthz", "/readyz", "/favicon.ico")


class TwoFactorRequiredMiddleware:
    """A session of a required user without a verified code is held at the set-up or code step.

    Without a device: to the set-up page. With one (a session signed in some other way, or from
    before the requirement): to the code step. API requests with that session get a 403; API
    tokens are not sessions and are unaffected (a token is created by a verified session).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.TWO_FACTOR_REQUIRED_GROUPS or self._may_pass(request):
            return self.get_response(request)
        user = request.user
        if request.path.startswith("/api/"):
            detail = _("Two-factor sign-in is required for your account: set it up first.")
            return JsonResponse({"detail": detail}, status=403)
        target = "sign_in_code" if has_two_factor(user) else "two_factor_setup"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.path})}")

    @staticmethod
    def _may_pass(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return True
        allowed = {
            reverse(name)
            for name in ("two_factor", "two_factor_setup", "sign_in_code", "logout", "login")
        }
        if request.path in allowed or request.path.startswith(OPEN_PREFIXES):
            return True
        return not two_factor_required(user)
