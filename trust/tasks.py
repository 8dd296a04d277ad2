"""Celery task of the trust self-assessment: thin, it calls the daily service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def trust_rounds() -> dict[str, int]:
    result = services.trust_rounds_run(now=timezone.now())
    return {"closed": result.closed, "reminded": result.reminded, "opened": result.opened}
