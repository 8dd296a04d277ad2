"""Signing out: the local session always; the provider's session too after single sign-on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from ..oidc import provider_logout_url


class SignOutView(LogoutView):
    """Django's sign-out; after a provider sign-in it goes on to the provider's end-session page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response
