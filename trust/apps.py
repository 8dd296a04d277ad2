from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Trust self-assessment")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS
        from cases.services.cases import case_transition_hook_register

        from . import demo, events, services

        events.register()
        case_transition_hook_register(services.close_open_round_with_case)
        DEMO_EXTENSIONS.append(demo.trust_demo)
