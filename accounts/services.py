"""Writes about sign-in: second-factor devices, and users who sign in through a provider."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Organisation
from agencies.services import membership_set

from .models import ProviderIdentity
from .selectors import recovery_device, totp_device

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_factor_enrolment_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created once and kept until confirmed.

    Reusing it means reloading the page shows the same secret the user may already have scanned.
    """
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_enrolment_confirm(*, user: AbstractBaseUser, device: TOTPDevice) -> list[str]:
    """Confirm the app device (its code was checked) and issue fresh recovery codes.

    Any earlier devices go: a user has one app and one set of recovery codes at a time.
    Returns the recovery codes, which are shown once and never again.
    """
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones (each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_remove(*, user: AbstractBaseUser) -> int:
    """Remove every second-factor device of the user (their own choice, or an operator's reset).

    Returns how many devices went.
    """
    apps, recovery = TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)
    removed = apps.count() + recovery.count()
    apps.delete()
    recovery.delete()
    return removed


def normalise_code(code: str) -> str:
    """Codes are read aloud and copied: spaces and hyphens don't matter, nor letter case."""
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def two_factor_verify(*, user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts the code, if any: six digits from the app, else a recovery code.

    Each kind is asked only for its own codes, so a mistyped app code never counts against the
    recovery codes' throttle (django-otp delays a device after each failure). A recovery code is
    used up by being accepted; an app code is accepted once (django-otp keeps its time step).
    """
    code = normalise_code(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        device: Device | None = totp_device(user)
    else:
        device = recovery_device(user)
    if device is not None and device.verify_token(code):
        return device
    return None


def subject_key(subject: str) -> str:
    """What is kept of a provider's `sub`: its SHA-256. A Swedish e-identification broker may
    use the person's identity number as `sub`; the product matches on it without storing it."""
    return hashlib.sha256(subject.encode()).hexdigest()


@transaction.atomic
def provider_user_sign_in(
    *,
    issuer: str,
    subject: str,
    email: str,
    given_name: str,
    family_name: str,
    organisation_number: str | None = None,
) -> AbstractBaseUser:
    """The user a provider vouches for: found by subject, else by verified e-mail, else created.

    1. A known (issuer, subject) is that user, whatever the claims say now.
    2. Else one active, non-operator user with that verified e-mail address is linked to it.
       Operators (staff) are never linked by e-mail: a provider cannot take over their account.
    3. Else a new user, a member of the organisation that runs the provider
       (`organisation_number`, by default OIDC_PROVIDER_ORGANISATION_NUMBER); without one a
       provider cannot create users (SuspiciousOperation: sign-in refused).
    Names are taken from the claims only when the user is created; after that they are the
    user's own to edit. Memberships are administered in the product by organisation admins.
    """
    subject = subject_key(subject)
    identity = (
        ProviderIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        if organisation_number is None:
            organisation_number = settings.OIDC_PROVIDER_ORGANISATION_NUMBER
        user = _user_by_email(email) or _user_create(
            email, given_name, family_name, issuer, subject, organisation_number
        )
        identity = ProviderIdentity(user=user, issuer=issuer, subject=subject)
    if not identity.user.is_active:
        raise SuspiciousOperation("the account is closed")
    identity.last_sign_in_at = timezone.now()
    identity.full_clean()
    identity.save()
    return identity.user


def _user_by_email(email: str) -> AbstractBaseUser | None:
    if not email:
        return None
    users = list(
        get_user_model()
        .objects.filter(email__iexact=email, is_active=True, is_staff=False, is_superuser=False)
        .exclude(provider_identities__isnull=False)[:2]
    )
    return users[0] if len(users) == 1 else None


def _user_create(
    email: str, given_name: str, family_name: str, issuer: str, subject: str, number: str
) -> AbstractBaseUser:
    organisation = (
        Organisation.objects.filter(organisation_number=number).first() if number else None
    )
    if organisation is None:
        raise SuspiciousOperation("no organisation for users new to this provider")
    digest = hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:16]
    user_model = get_user_model()
    user = user_model(
        username=f"sso-{digest}", email=email, first_name=given_name, last_name=family_name
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership_set(user=user, organisation=organisation)
    return user
