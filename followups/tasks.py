"""The follow-ups' scheduled work: a thin task that calls the service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def followups_due() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE "followups-due"): due and overdue reminders, each once."""
    return services.followups_due()
