"""Every write to organisations and memberships."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher, is_password_usable
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import MembershipRole
from .models import ApiToken, Membership, Organisation, SignInPolicyChange

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


def password_fingerprint(password_hash: str) -> str:
    """A digest of the user's stored password hash, kept on each token.

    The hash is salted, so its digest tells nothing about the password; it changes with every
    new password, however it is set (a form, the admin, `set_password`, a raw UPDATE).
    """
    return hashlib.sha256(f"samverkan-api-token:{password_hash}".encode()).hexdigest()


def _stored_password(user: AbstractBaseUser) -> str:
    # From the database, not from a possibly stale user object in memory.
    return get_user_model().objects.filter(pk=user.pk).values_list("password", flat=True).get()


def password_hash_is_outdated(password_hash: str | None) -> bool:
    """Whether Django would re-hash this password at the next sign-in (a newer hasher/cost)."""
    if not password_hash or not is_password_usable(password_hash):
        return False
    try:
        hasher = identify_hasher(password_hash)
    except ValueError:
        return False
    return hasher.algorithm != get_hasher("default").algorithm or hasher.must_update(password_hash)


def api_tokens_follow_password(*, user: AbstractBaseUser, rehashed_from: str | None = None) -> int:
    """After the user's password hash changed: revoke the tokens of the old password.

    `rehashed_from` is the previous hash when Django only re-hashed the same password at sign-in
    (a hasher upgrade, not a change): the tokens of that hash then carry on under the new one.
    Returns how many tokens were revoked.
    """
    current = password_fingerprint(user.password)
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(
        password_fingerprint=current
    )
    if rehashed_from is not None:
        live.filter(password_fingerprint=password_fingerprint(rehashed_from)).update(
            password_fingerprint=current
        )
    return live.update(revoked_at=timezone.now())


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and only its hash is kept."""
    secret = f"sam_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[:10],
        key_hash=_token_hash(secret),
        password_fingerprint=password_fingerprint(_stored_password(user)),
    )
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
    """The live token with this secret, its last use noted at most once a minute.

    A token made under an earlier password is refused, so a password changed by a path that
    sends no signal (a raw UPDATE) still ends it. It is not marked revoked here: for a few
    milliseconds after a sign-in re-hash the signal has not yet carried the tokens over, and a
    refused request then is better than a destroyed token.
    """
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.password_fingerprint != password_fingerprint(token.user.password):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def single_sign_on_configured() -> bool:
    from accounts.providers import identity_providers

    return bool(identity_providers())


@transaction.atomic
def organisation_password_sign_in_set(
    *, actor: AbstractBaseUser, organisation: Organisation, allowed: bool
) -> Organisation:
    """An organisation's admin lets its members sign in with a password, or only through single
    sign-on. Off only where single sign-on is set up, or nobody could sign in; operators keep
    their password either way. Each change is kept with who made it."""
    from .selectors import user_is_organisation_admin

    if not user_is_organisation_admin(actor, organisation.pk):
        raise PermissionDenied(_("Only the organisation's admins change how its members sign in."))
    if not allowed and not single_sign_on_configured():
        raise ValidationError(
            {
                "password_sign_in": _(
                    "Single sign-on is not set up for Samverkan, so password sign-in cannot be "
                    "switched off: your members could not sign in at all."
                )
            }
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.password_sign_in == allowed:
        return organisation
    organisation.password_sign_in = allowed
    organisation.save(update_fields=["password_sign_in"])
    SignInPolicyChange.objects.create(
        organisation=organisation, password_sign_in=allowed, changed_by=actor
    )
    return organisation
