"""Reads of reports that depend on who asks: a report is its requester's alone (404 to anyone
else), and only while they may still see what it covers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from .models import Report
from .services import may_read_report


def report_get_for_user(user: Any, *, uuid: UUID | str) -> Report:
    if not user.is_authenticated:
        raise Http404("No such report")
    report = (
        Report.objects.select_related("case", "requested_by")
        .filter(uuid=uuid, requested_by=user)
        .first()
    )
    if report is None or not may_read_report(user, report):
        raise Http404("No such report")
    return report
