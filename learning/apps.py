from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning across cases")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS

        from . import demo, events

        events.register()
        DEMO_EXTENSIONS.append(demo.obstacles_demo)
