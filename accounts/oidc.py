"""Single sign-on through the organisation's OpenID Connect provider (mozilla-django-oidc).

mozilla-django-oidc does the protocol (authorization-code flow with PKCE, state and nonce kept in
the session, the token request, the signature check against the provider's keys). This module
adds what a public-sector deployment needs on top:

0. One or more providers (accounts/providers.py); the flow keeps which one it started with in
   the session, and the callback checks the code and token against that provider only.
1. The ID token is checked in full: signature, `iss` equal to the provider's issuer, `aud` naming
   our client, `exp` not passed (PyJWT), so a token from another issuer or an expired one is
   refused.
2. A user is matched by their stable subject at that issuer (ProviderIdentity), else by an e-mail
   address the provider says it verified; else created, as a member of the organisation that runs
   the provider (its organisation_number). Memberships are then administered in the
   product: the provider's claims never add, remove or change a membership of an existing user.
3. Only e-mail, given name and family name are read from the claims; anything else a provider
   sends (a personal identity number from an e-identification broker, say) is never stored.
4. Every refusal (wrong state, replayed code, bad token) ends on the sign-in page with a message,
   never an error page.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .providers import IdentityProvider, identity_provider, identity_providers
from .services import provider_user_sign_in

logger = logging.getLogger(__name__)

# The session key naming the provider a sign-in flow started with.
SESSION_PROVIDER = "oidc_provider"


def provider_configured() -> bool:
    """Single sign-on is on when the deployment names at least one provider in full."""
    return bool(identity_providers())


def provider_label(provider: IdentityProvider | None) -> str:
    if provider is not None and provider.name:
        return provider.name
    return _("your organisation's identity provider")


def _session_provider(request: HttpRequest | None) -> IdentityProvider | None:
    if request is None or not hasattr(request, "session"):
        return None
    return identity_provider(request.session.get(SESSION_PROVIDER))


class ProviderBackend(OIDCAuthenticationBackend):
    """Signs in a user from the provider's ID token and claims (see the module's steps)."""

    provider: IdentityProvider

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> AbstractBaseUser | None:
        provider = _session_provider(request)
        if provider is None:
            return None
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.user_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {type(error).__name__}") from error

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        self._id_token_claims = payload
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # The userinfo answer must be about the person the ID token names (OIDC Core 5.3.2).
        return bool(claims.get("sub")) and claims["sub"] == self._id_token_claims.get("sub")

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> AbstractBaseUser | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("userinfo does not match the ID token")
        return provider_user_sign_in(
            issuer=self.provider.issuer,
            subject=str(claims["sub"]),
            email=_verified_email(claims),
            given_name=_claim_text(claims, "given_name", 150),
            family_name=_claim_text(claims, "family_name", 150),
            organisation_number=self.provider.organisation_number,
        )

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        return get_user_model().objects.filter(pk=user_id).first()


def _claim_text(claims: dict[str, Any], name: str, length: int) -> str:
    value = claims.get(name)
    return value.replace("\x00", "").strip()[:length] if isinstance(value, str) else ""


def _verified_email(claims: dict[str, Any]) -> str:
    """The e-mail address, only when the provider says it verified it (else it matches nobody)."""
    if claims.get("email_verified") is not True:
        return ""
    return _claim_text(claims, "email", 254)


class ProviderSignInView(OIDCAuthenticationRequestView):
    """Starts the authorization-code flow with the provider named in the address (the first
    one without a name); a 404 for a provider the deployment does not have."""

    def get(self, request: HttpRequest, slug: str | None = None) -> HttpResponse:
        providers = identity_providers()
        provider = providers.get(slug) if slug else next(iter(providers.values()), None)
        if provider is None:
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        request.session[SESSION_PROVIDER] = provider.slug
        return super().get(request)


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. Any refusal lands on the sign-in page with a message."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider_configured():
            raise Http404
        if _session_provider(request) is None:
            return self.login_failure()  # no flow started here, or its provider is gone
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            logger.warning("single sign-on refused: %s", type(error).__name__)
            return self.login_failure()

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Sign-in through %(provider)s did not succeed. Start again from this page; "
                "if it keeps failing, contact your organisation's IT support."
            )
            % {"provider": provider_label(_session_provider(self.request))},
        )
        return HttpResponseRedirect(self.failure_url)


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where sign-out continues: the provider's end-session endpoint, when it has one.

    Read before the local session ends (it holds the ID token the provider asks for as a hint).
    """
    provider = _session_provider(request)
    id_token = request.session.get("oidc_id_token")
    if not (provider and provider.logout_endpoint and id_token):
        return None
    endpoint = provider.logout_endpoint
    query = {
        "id_token_hint": id_token,
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    return f"{endpoint}?{urlencode(query)}"
