"""Attachments in the case timeline: added, replaced (a new version) and removed, by whom."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.history import TimelineSource, timeline_source_register
from cases.views import timeline

from .models import Attachment, attachment_history


def register() -> None:
    timeline_source_register(
        TimelineSource(
            model=Attachment,
            tracker=attachment_history,
            lookup=lambda case: {"case_id": case.pk},
            label=lambda record: record.title,
            kind_label=_("Files"),
        )
    )
    timeline.MODELS["attachment"] = Attachment
