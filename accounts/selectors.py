"""Reads about a user's sign-in: second-factor devices, whether one is required, pauses."""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max, Q
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

OPERATORS = "operators"


def two_factor_required(user: AbstractBaseUser) -> bool:
    """Whether TWO_FACTOR_REQUIRED_GROUPS names one of the user's groups ("operators": staff).

    Costs no query while the setting is empty (development and tests).
    """
    required = [name.strip() for name in settings.TWO_FACTOR_REQUIRED_GROUPS if name.strip()]
    if not required or not user.is_authenticated:
        return False
    if OPERATORS in required and (user.is_staff or user.is_superuser):
        return True
    return user.groups.filter(name__in=required).exists()


def totp_device(user: AbstractBaseUser, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: AbstractBaseUser) -> bool:
    """A confirmed authenticator app: the sign-in then asks for a code after the password."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def sign_in_paused_until(request: HttpRequest, username: str | None) -> datetime | None:
    """When the pause on this account or this client address ends (None: not known).

    A pause starts at the failure that reached the limit; failures during it are not recorded,
    so the latest recorded failure plus the cool-off is the pause's end.
    """
    cool_off = get_cool_off(request)
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    condition = Q(ip_address=address)
    if username:
        condition |= Q(username=username)
    latest = AccessAttempt.objects.filter(condition).aggregate(at=Max("attempt_time"))["at"]
    if latest is None or cool_off is None:
        return None
    return latest + cool_off


def password_sign_in_allowed(user: AbstractBaseUser) -> bool:
    """Operators always; others unless one of their organisations has password sign-in off."""
    if user.is_staff or user.is_superuser:
        return True
    return not user.memberships.filter(organisation__password_sign_in=False).exists()
