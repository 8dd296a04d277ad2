from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Trust self-assessment")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS

        from . import demo, events

        events.register()
        DEMO_EXTENSIONS.append(demo.trust_demo)
