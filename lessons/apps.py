from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons learned")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS
        from cases.services.cases import case_transition_hook_register

        from . import demo, events, services

        events.register()
        case_transition_hook_register(services.on_case_transition)
        if demo.lessons_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(demo.lessons_demo)
