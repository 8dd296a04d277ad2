from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import signals

        signals.connect(get_user_model())
