"""Celery tasks of lessons learned: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def lessons_remind_due() -> int:
    return services.lessons_remind_due()
