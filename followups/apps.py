from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Effect follow-ups")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS
        from cases.services.cases import case_transition_hook_register

        from . import demo, events, flags, services

        events.register()
        flags.register()
        services.register_closed_case_values()
        case_transition_hook_register(services.on_case_transition)
        if demo.followups_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(demo.followups_demo)
