"""How a finished report reaches its requester: an inbox line with a download link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import ReportKind
from .models import Report

if TYPE_CHECKING:
    from notifications.models import Event


def report_ready_recipients(event: Event) -> set[int]:
    """Only the person who asked for it (an event without a case: this rule alone decides)."""
    requester = Report.objects.filter(pk=event.object_id).values_list("requested_by_id", flat=True)
    return set(requester)


def report_ready_path(event: Event) -> str:
    return reverse("report_download", kwargs={"uuid": (event.payload or {}).get("report", "")})


def report_ready_line(event: Event, payload: dict[str, Any]) -> str:
    if payload.get("report_kind") == ReportKind.CASE:
        return _("Your status report of %(reference)s is ready to download") % {
            "reference": payload.get("reference", "")
        }
    return _("Your portfolio report is ready to download")
