"""Personal API tokens: `Authorization: Bearer <token>` (or `Token <token>`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from agencies.services import api_token_authenticate

from .middleware import client_address
from .throttling import KeyedRateThrottle

KEYWORDS = ("bearer", "token")
BAD_TOKEN_SCOPE = "bad_tokens"


def _bad_token_counter(request: Request) -> KeyedRateThrottle:
    return KeyedRateThrottle(BAD_TOKEN_SCOPE, client_address(request))


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Looks the token up by its hash; revoked tokens and inactive users are refused.

    Failed attempts are counted per client address; past the `bad_tokens` rate every failing
    bearer request from that address gets 429 until the window passes. A valid token still
    signs in: secrets carry 256 random bits, so "valid versus 429" tells a guesser nothing worth
    having, while locking valid tokens out would let one forgotten script (a token that ended
    with a password change) shut out every integration behind the same address.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        try:
            return self._token_user(header)
        except exceptions.AuthenticationFailed:
            counter = _bad_token_counter(request)
            if counter.exhausted():
                raise exceptions.Throttled(wait=counter.wait_seconds()) from None
            counter.record()
            raise

    def _token_user(self, header: list[bytes]) -> tuple[Any, Any]:
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from error
        token = api_token_authenticate(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
