"""Every write to organisations and memberships."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .choices import MembershipRole
from .models import ApiToken, Membership, Organisation

# What may be set on an organisation, in the order forms and the API show it.
ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "name_en",
    "kind",
    "organisation_number",
    "municipality_code",
    "region_code",
    "has_regional_duties",
    "ministry",
    "website",
    "contact_email",
    "is_active",
)


@transaction.atomic
def organisation_create(**fields: Any) -> Organisation:
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    for field, value in data.items():
        if field not in ORGANISATION_FIELDS:
            raise ValueError(f"{field} cannot be changed")
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_set(
    *, user: AbstractBaseUser, organisation: Organisation, role: str = MembershipRole.MEMBER
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    membership.full_clean()
    return membership


@transaction.atomic
def membership_remove(*, user: AbstractBaseUser, organisation: Organisation) -> None:
    Membership.objects.filter(user=user, organisation=organisation).delete()


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and only its hash is kept."""
    secret = f"sam_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=name.strip(), prefix=secret[:10], key_hash=_token_hash(secret))
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, user: AbstractBaseUser, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The live token with this secret, its last use noted at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
