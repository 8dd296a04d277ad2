from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens' experiences")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS

        from . import demo, events

        events.register()
        DEMO_EXTENSIONS.append(demo.experiences_demo)
