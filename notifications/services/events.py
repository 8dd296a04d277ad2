"""The outbox: `event_record` is called by every service that changes something meaningful,
inside that service's transaction; the hand-off to Celery happens after commit."""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from config import request_id

from ..models import Event

logger = logging.getLogger(__name__)

# After a failed publish, skip the broker for a while: a web request must never wait on a broker
# that is down, and the sweeper sends what was skipped once it is back.
_broker_unavailable_until = 0.0


def event_record(
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    case: models.Model | None = None,
    target: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Event:
    """Write the event in the caller's transaction; hand it to Celery after commit."""
    event = Event.objects.create(
        kind=kind,
        actor=actor,
        case=case,
        object_type=target._meta.model_name if target is not None else "",
        object_id=target.pk if target is not None else None,
        payload=payload or {},
        dedupe_key=dedupe_key,
        request_id=request_id.current(),
    )
    transaction.on_commit(lambda: event_hand_off(event.pk))
    return event


def event_record_once(*, dedupe_key: str, **fields: Any) -> Event | None:
    """Record an event unless one with the same key exists; None when it already does."""
    try:
        with transaction.atomic():
            return event_record(dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        return None


def broker_publish(publish: Any, *args: Any, **kwargs: Any) -> bool:
    """Publish a task; False (and a pause of publishing) when the broker does not answer.

    Nothing is lost by a False: every message we send has a database row (an undispatched event,
    a pending delivery) that the sweeper sends again.
    """
    global _broker_unavailable_until
    if time.monotonic() < _broker_unavailable_until:
        return False
    try:
        publish(*args, **kwargs)
    except Exception:  # kombu, redis-py and socket errors all mean: not published
        _broker_unavailable_until = time.monotonic() + settings.NOTIFICATIONS_BROKER_PAUSE
        logger.warning(
            "The broker did not take a task; the outbox sweeper will send it later", exc_info=True
        )
        return False
    return True


def broker_pause_reset() -> None:
    """Forget an earlier broker failure (the sweeper calls this: it is the one that probes)."""
    global _broker_unavailable_until
    _broker_unavailable_until = 0.0


def event_hand_off(event_id: int) -> bool:
    """Queue the fan-out and record when (`handed_off_at`, also carried by the message, so the
    sweeper can tell whether it still waits in the queue). A failure here is harmless: the event
    keeps no hand-off time and the sweeper queues it after NOTIFICATIONS_SWEEP_GRACE."""
    from ..tasks import event_dispatch

    now = timezone.now()
    if not broker_publish(event_dispatch.apply_async, (event_id,), {"handed_off": now.timestamp()}):
        return False
    if not current_app.conf.task_always_eager:  # in-process, the fan-out has already run
        Event.objects.filter(pk=event_id).update(handed_off_at=now)
    return True
