from __future__ import annotations

from django.apps import AppConfig


class DevmailConfig(AppConfig):
    name = "config.devmail"
    label = "devmail"
    verbose_name = "Local mailbox (development)"
    default_auto_field = "django.db.models.BigAutoField"
