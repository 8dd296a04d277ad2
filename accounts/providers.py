"""The identity providers a deployment trusts for single sign-on, from settings.

One provider is configured by the OIDC_* settings (OIDC_RP_CLIENT_ID, OIDC_OP_ISSUER, the
endpoints, OIDC_PROVIDER_NAME, OIDC_PROVIDER_ORGANISATION_NUMBER), named OIDC_PROVIDER_SLUG.
More come from OIDC_PROVIDERS, a list of objects with the fields of `IdentityProvider` (as JSON
in the environment variable of that name), e.g. a region's Entra ID beside a municipality's
Keycloak. Every provider calls back to the one callback address; the flow remembers which
provider it started with, so a code or token from one is never checked against another.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class IdentityProvider:
    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    user_endpoint: str
    jwks_endpoint: str
    logout_endpoint: str = ""
    # Organisationsnummer of the organisation that runs it: a person signing in for the first
    # time becomes its member. Empty: only people who already have an account sign in.
    organisation_number: str = ""
    sign_algo: str = "RS256"

    @property
    def configured(self) -> bool:
        return bool(
            self.client_id and self.issuer and self.authorization_endpoint and self.token_endpoint
        )


FIELDS = {field.name for field in fields(IdentityProvider)}


def _from_settings() -> IdentityProvider:
    return IdentityProvider(
        slug=settings.OIDC_PROVIDER_SLUG,
        name=settings.OIDC_PROVIDER_NAME,
        issuer=settings.OIDC_OP_ISSUER,
        client_id=settings.OIDC_RP_CLIENT_ID,
        client_secret=settings.OIDC_RP_CLIENT_SECRET,
        authorization_endpoint=settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        token_endpoint=settings.OIDC_OP_TOKEN_ENDPOINT,
        user_endpoint=settings.OIDC_OP_USER_ENDPOINT,
        jwks_endpoint=settings.OIDC_OP_JWKS_ENDPOINT,
        logout_endpoint=settings.OIDC_OP_LOGOUT_ENDPOINT,
        organisation_number=settings.OIDC_PROVIDER_ORGANISATION_NUMBER,
        sign_algo=settings.OIDC_RP_SIGN_ALGO,
    )


def _from_entry(entry: dict[str, Any]) -> IdentityProvider:
    unknown = set(entry) - FIELDS
    if unknown:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS: unknown fields {sorted(unknown)}")
    try:
        return IdentityProvider(**{key: str(value) for key, value in entry.items()})
    except TypeError as error:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS: {error}") from error


def identity_providers() -> dict[str, IdentityProvider]:
    """The configured providers by slug, in the order the sign-in page offers them."""
    found = [_from_settings(), *(_from_entry(entry) for entry in settings.OIDC_PROVIDERS)]
    providers: dict[str, IdentityProvider] = {}
    for provider in found:
        if not provider.configured:
            continue
        if provider.slug in providers:
            raise ImproperlyConfigured(f"two identity providers named {provider.slug!r}")
        providers[provider.slug] = provider
    return providers


def identity_provider(slug: str | None) -> IdentityProvider | None:
    return identity_providers().get(slug or "")
