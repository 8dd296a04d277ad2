"""Celery tasks of the notification pipeline: thin, they take ids and call services."""

from __future__ import annotations

import contextlib
from datetime import datetime

from celery import current_app, shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from config import request_id

from . import services
from .models import Event
from .webhooks import tasks as webhook_tasks  # noqa: F401 - registers the webhook tasks


def _email_batches(delivery_ids: list[int]) -> list[list[int]]:
    size = settings.NOTIFICATIONS_EMAIL_BATCH
    return [delivery_ids[i : i + size] for i in range(0, len(delivery_ids), size)]


def _emails_queue(delivery_ids: list[int]) -> None:
    """Queue emails to go once their burst window has passed, so a burst is one email.

    Run in-process (no broker), nothing is sent here, inside the user's request: the in-process
    schedule's `emails_due_send` sends them once their window has passed (pending rows).
    """
    if current_app.conf.task_always_eager:
        return
    window = settings.NOTIFICATIONS_EMAIL_BURST_WINDOW
    for batch in _email_batches(delivery_ids):
        if not window:
            services.broker_publish(email_deliveries_send.delay, batch)
        elif not current_app.conf.task_always_eager:
            # Below the broker's visibility timeout, or Redis would deliver the task twice.
            countdown = min(window, settings.CELERY_VISIBILITY_TIMEOUT // 2)
            services.broker_publish(
                email_deliveries_send.apply_async, (batch,), countdown=countdown
            )


def _event_request_id(event_id: int) -> str | None:
    return Event.objects.filter(pk=event_id).values_list("request_id", flat=True).first()


@shared_task(acks_late=True)
def event_dispatch(event_id: int, handed_off: float | None = None) -> None:
    """Fan an event out to its recipients and, on a worker, up to NOTIFICATIONS_FANOUT_BATCH - 1
    more that wait for theirs; queue their emails in batches. `handed_off` (when it was
    published) is read from the queue by the sweeper, not here."""
    if request_id.current() is None and not event_dispatch.request.is_eager:
        # Queued by the sweeper, without the request's header: the id is on the event row. It
        # stays bound until the task ends (config/logs.py), for the emails and webhooks queued.
        request_id.bind(_event_request_id(event_id))
    _emails_queue(services.event_fan_out(event_id=event_id))
    if current_app.conf.task_always_eager:  # never drain a backlog inside a user's request
        return
    # Each event's emails are queued as soon as it has committed: a worker lost mid-drain
    # leaves only its current event to the sweeper.
    for to_send in services.events_fan_out_waiting(limit=settings.NOTIFICATIONS_FANOUT_BATCH - 1):
        _emails_queue(to_send)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def email_deliveries_send(delivery_ids: list[int], attempt: int = 0) -> None:
    """Send each delivery at least once; retry the transient failures later, with backoff."""
    connection = get_connection()
    with contextlib.suppress(OSError):
        connection.open()  # one SMTP session for the batch; if it fails, each send records it
    try:
        results = services.email_deliveries_send(delivery_ids=delivery_ids, connection=connection)
        to_retry = [pk for pk, result in results.items() if result == services.SendResult.RETRY]
    finally:
        connection.close()
    if to_retry and not current_app.conf.task_always_eager:  # in-process: emails_due_send
        # Below the broker's visibility timeout, or Redis would deliver the retry twice.
        countdown = min(
            settings.NOTIFICATIONS_EMAIL_RETRY_BASE * 2**attempt,
            settings.CELERY_VISIBILITY_TIMEOUT // 2,
        )
        services.broker_publish(
            email_deliveries_send.apply_async, (to_retry, attempt + 1), countdown=countdown
        )


@shared_task
def outbox_sweep() -> None:
    """Beat, every minute: queue again events and emails whose hand-off was lost."""
    services.outbox_sweep()


@shared_task
def overdue_reminders_send() -> None:
    """Beat, daily: one 'action overdue' event per open overdue action and day."""
    services.overdue_reminders_record(today=timezone.localdate())


@shared_task
def digests_send() -> None:
    """Beat, daily: one digest task per user with pending digest items."""
    cutoff = timezone.now()
    for user_id in services.digest_recipient_ids(cutoff=cutoff):
        services.broker_publish(digest_send_for_user.delay, user_id, cutoff.isoformat())


@shared_task(acks_late=True)
def digest_send_for_user(user_id: int, cutoff: str) -> None:
    services.digest_send(user_id=user_id, cutoff=datetime.fromisoformat(cutoff))


@shared_task
def emails_due_send() -> int:
    """In-process schedule only (no broker), every few seconds: send the emails that are due;
    returns how many were due."""
    due = services.email_deliveries_due(
        now=timezone.now(), limit=settings.NOTIFICATIONS_SWEEP_BATCH
    )
    for batch in _email_batches(due):
        email_deliveries_send(batch)
    return len(due)
