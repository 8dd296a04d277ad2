"""Attachments in the case timeline: added, replaced (a new version) and removed, by whom."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.history import TIMELINE_SOURCES
from cases.models import HISTORY_TRACKERS, Case
from cases.views import timeline

from .models import Attachment, attachment_history


def _case_attachments(case: Case) -> tuple[dict[str, Any], list[str]]:
    return {"case_id": case.pk}, []


def register() -> None:
    HISTORY_TRACKERS[Attachment] = attachment_history
    TIMELINE_SOURCES[Attachment] = _case_attachments
    timeline.MODELS["attachment"] = Attachment
    timeline.KIND_LABELS["attachment"] = _("Files")
