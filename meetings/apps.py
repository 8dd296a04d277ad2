from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS

        from .demo import load_meetings_demo
        from .notifications import register

        register()
        DEMO_EXTENSIONS.append(load_meetings_demo)
