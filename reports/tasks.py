"""Celery tasks of reports: thin, they take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    soft_time_limit=settings.REPORTS_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TASK_SOFT_TIME_LIMIT + 60,
)
def report_generate(report_id: int) -> None:
    services.report_generate(report_id=report_id)


@shared_task
def reports_purge() -> int:
    return services.reports_purge()
