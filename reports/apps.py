from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from notifications import messages
        from notifications.choices import EventKind
        from notifications.registry import message_register, path_register, recipients_register

        from . import tasks  # noqa: F401 - registers the tasks the services queue by name
        from .notices import report_ready_line, report_ready_path, report_ready_recipients

        recipients_register(EventKind.REPORT_READY, report_ready_recipients)
        path_register(EventKind.REPORT_READY, report_ready_path)
        message_register(EventKind.REPORT_READY, messages.Kind(report_ready_line))
