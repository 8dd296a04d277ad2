from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from cases.demo import DEMO_EXTENSIONS
        from cases.history import TimelineSource, timeline_source_register
        from notifications.choices import EventKind
        from notifications.registry import message_register, path_register, recipients_register

        from . import events, exports
        from .demo import demo_decisions
        from .models import Decision, decision_history
        from .timeline import decision_label

        for kind, line in (
            (EventKind.DECISION_TAKEN, events.TAKEN),
            (EventKind.DECISION_REVOKED, events.REVOKED),
        ):
            recipients_register(kind, events.decision_recipients)
            path_register(kind, events.decision_path)
            message_register(kind, line)
        timeline_source_register(
            TimelineSource(
                model=Decision,
                tracker=decision_history,
                lookup=lambda case: {"case_id": case.pk},
                label=decision_label,
                kind_label=_("Decisions"),
                related=("revokes",),
            )
        )
        exports.register()
        if demo_decisions not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(demo_decisions)
