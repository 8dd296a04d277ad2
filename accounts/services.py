"""Writes about a user's sign-in: enrolling, confirming and removing second-factor devices."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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
