"""Every write of reports: ask for one, record its progress, finish it, remove old files."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases import access
from cases.models import Case
from notifications.choices import EventKind
from notifications.services.events import broker_publish, event_record

from . import generation
from .choices import ReportKind, ReportState
from .models import Report

logger = logging.getLogger(__name__)
GENERATE_TASK = "reports.tasks.report_generate"
PURGE_BATCH = 200


def may_request_portfolio(user: Any) -> bool:
    """The portfolio report covers every case: the committee's alone."""
    return access.is_committee(user)


def may_read_report(user: Any, report: Report) -> bool:
    """Its requester, as long as they may still see what it covers."""
    if not user.is_authenticated or report.requested_by_id != user.pk:
        return False
    if report.kind == ReportKind.PORTFOLIO:
        return may_request_portfolio(user)
    return access.can_view_case(user, report.case)


def _hand_off(report_id: int) -> None:
    """Queue the generation (by name: services never import tasks). In-process mode runs it
    here; a broker that does not answer leaves the report queued for the hourly sweep."""
    task = current_app.tasks[GENERATE_TASK]
    broker_publish(task.apply_async, (report_id,))


def report_request(
    *, user: AbstractBaseUser, kind: str, language: str, case: Case | None = None
) -> Report:
    """Ask for a report to be generated in the background; the requester finds it on its
    progress page, and a link in the inbox once it is ready."""
    if kind == ReportKind.PORTFOLIO and not may_request_portfolio(user):
        raise PermissionDenied
    if kind == ReportKind.CASE and (case is None or not access.can_view_case(user, case)):
        raise PermissionDenied
    with transaction.atomic():
        report = Report(
            kind=kind,
            case=case if kind == ReportKind.CASE else None,
            requested_by=user,
            language=language,
        )
        report.full_clean()
        report.save()
        transaction.on_commit(lambda: _hand_off(report.pk))
    return report


def report_claim(*, report_id: int, steps_total: int) -> bool:
    """Take a queued report for generation; False if another worker has it or it is done."""
    claimed = Report.objects.filter(pk=report_id, state=ReportState.QUEUED).update(
        state=ReportState.RUNNING, steps_total=steps_total, steps_done=0
    )
    return claimed == 1


def report_progress_record(*, report_id: int, steps_done: int) -> None:
    """How far the generation has come (committed at once: the progress page reads it)."""
    Report.objects.filter(pk=report_id, state=ReportState.RUNNING).update(steps_done=steps_done)


def report_finish(*, report: Report, pdf: bytes, page_count: int) -> Report:
    """Store the file, mark the report ready and tell its requester (inbox, with a link)."""
    name = f"{report.uuid}.pdf"
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        locked.file.save(name, ContentFile(pdf), save=False)
        locked.state = ReportState.READY
        locked.page_count = page_count
        locked.steps_done = F("steps_total")
        locked.finished_at = timezone.now()
        locked.save()
        event_record(
            kind=EventKind.REPORT_READY,
            actor=None,
            target=locked,
            payload={
                "report": str(locked.uuid),
                "report_kind": locked.kind,
                "reference": locked.case.reference if locked.case_id else "",
                "pages": page_count,
            },
        )
    locked.refresh_from_db()
    return locked


def report_fail(*, report_id: int) -> None:
    Report.objects.filter(pk=report_id).exclude(state=ReportState.READY).update(
        state=ReportState.FAILED, finished_at=timezone.now()
    )


def report_generate(*, report_id: int) -> None:
    """Generate a queued report (the background task calls this).

    1. Claim it with a conditional UPDATE: a redelivered task finds nothing left to do.
    2. Check access again: the requester may have lost sight of the case since asking.
    3. Build the PDF, recording progress after each step; store it and tell the requester.
    """
    report = Report.objects.select_related("case", "requested_by").filter(pk=report_id).first()
    if report is None or report.state != ReportState.QUEUED:
        return
    if not may_read_report(report.requested_by, report):
        report_fail(report_id=report_id)
        return
    if not report_claim(report_id=report_id, steps_total=generation.report_steps(report)):
        return
    try:
        pdf, pages = generation.report_build(
            report, lambda done: report_progress_record(report_id=report_id, steps_done=done)
        )
    except Exception:
        logger.exception("Report %s could not be generated", report.uuid)
        report_fail(report_id=report_id)
        raise
    report_finish(report=report, pdf=pdf, page_count=pages)


def reports_purge(*, now: datetime | None = None) -> int:
    """Remove the files of reports finished more than REPORTS_RETENTION_DAYS ago (the rows stay,
    marked removed, so an old inbox link explains itself); requeue reports whose hand-off to the
    broker failed. Batches, oldest first."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORTS_RETENTION_DAYS)
    old = list(
        Report.objects.filter(
            state__in=(ReportState.READY, ReportState.FAILED), finished_at__lt=cutoff
        ).order_by("finished_at")[:PURGE_BATCH]
    )
    for report in old:
        if report.file:
            report.file.delete(save=False)
        Report.objects.filter(pk=report.pk).update(state=ReportState.EXPIRED, file="")
    stale = Report.objects.filter(
        state=ReportState.QUEUED, created_at__lt=now - timedelta(minutes=10)
    ).values_list("pk", flat=True)[:PURGE_BATCH]
    for report_id in stale:
        _hand_off(report_id)
    return len(old)
