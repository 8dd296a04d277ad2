from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import Event
from .webhooks import tasks as webhook_tasks  # noqa: F401 - registers the webhook tasks


@shared_task
def event_dispatch(event_id: int) -> None:
    """Fan an event out to its recipients (completed by the notifications work)."""
    Event.objects.filter(pk=event_id, dispatched_at=None).update(dispatched_at=timezone.now())
