"""The sign-in throttle as an authentication backend (django-axes)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest

USERNAME_LENGTH = 255  # AccessAttempt.username


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuses every sign-in of a paused account or from a paused address.

    Every sign-in over HTTP (the sign-in page, the admin, the second step) passes its request.
    Code that checks a password without one (the test client's `login`, a shell) has no client
    address to count and no client to throttle, so it is let through to the password check
    rather than failing with an error.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The client address the throttle counts: REMOTE_ADDR as TrustedProxyMiddleware left it.

    X-Forwarded-For counts only when it comes from TRUSTED_PROXIES (that middleware replaces
    REMOTE_ADDR then), so a client cannot choose the address its failures are counted against.
    A request made in code (the test client's `login`) has no address: None, not a made-up one.
    """
    return request.META.get("REMOTE_ADDR") or None


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The user name the throttle counts, cut to what its table holds (hostile input included)."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    if not isinstance(username, str):
        return None
    return username.replace("\x00", "")[:USERNAME_LENGTH]
