from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in security: the sign-in steps, throttling of failed sign-ins, two-factor devices."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
