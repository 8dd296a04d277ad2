"""Scheduled privacy work: thin tasks that call the services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services


@shared_task
def retention_purge() -> dict[str, Any]:
    """Daily (CELERY_BEAT_SCHEDULE "retention-purge"): logs past RETENTION_DAYS go."""
    return services.retention_purge()
