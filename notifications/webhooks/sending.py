"""Sending a delivery: claim, post, record, schedule the next attempt.

1. Claim the delivery with a conditional UPDATE (open, due, not held by another sender). Zero rows
   means another sender has it or it is no longer due: a redelivered task does nothing.
2. POST the signed event outside any transaction: no row lock is held across the network.
3. Record the attempt and the delivery's next state in one transaction; a 410 disables the
   endpoint in the same transaction.
4. Schedule a retry after commit: delays up to the countdown limit as a task with an ETA, longer
   ones only as `next_attempt_at`, which `webhook_deliveries_queue_due` (beat, every 30 s) finds.
   A hand-off that fails leaves the delivery not queued, so that sweep sends it when due.
   Without a broker, every send happens in that sweep, in the in-process schedule's thread.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Event
from . import selectors, signing, transport
from .choices import DeliveryState
from .models import WebhookAttempt, WebhookDelivery
from .services import webhook_delivery_hand_off, webhook_endpoint_disable

JITTER = 0.2  # each delay is stretched or shrunk by up to 20 % so retries do not come in waves
# A claim outlives any sender: the send task is killed after its hard time limit (see tasks.py).
CLAIM_SECONDS = 180


def countdown_limit() -> float:
    """Longest delay kept in the broker; Redis redelivers anything unacked past its visibility
    timeout, so a countdown must stay well under it."""
    return min(settings.WEBHOOK_COUNTDOWN_MAX, settings.CELERY_VISIBILITY_TIMEOUT / 2)


def retry_delay(attempts_in_round: int) -> float | None:
    """Seconds before the next attempt after this many failed ones; None when none is left."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if attempts_in_round > len(schedule):
        return None
    return float(schedule[attempts_in_round - 1]) * random.uniform(1 - JITTER, 1 + JITTER)


def event_body(event: Event) -> bytes:
    """The Standard Webhooks payload: type, timestamp, data. The same bytes on every attempt."""
    case = event.case
    data: dict[str, Any] = {
        "event_id": event.pk,
        "case": case and {"id": case.pk, "reference": case.reference, "title": case.title},
        "object": {"type": event.object_type, "id": event.object_id} if event.object_id else None,
        "actor": event.actor_id,
        "payload": event.payload,
    }
    message = {"type": event.kind, "timestamp": event.created_at.isoformat(), "data": data}
    return json.dumps(message, sort_keys=True, separators=(",", ":"), default=str).encode()


def _claim(delivery_id: int, now: datetime) -> bool:
    claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    return bool(
        selectors.deliveries_due(now).filter(pk=delivery_id).update(claimed_until=claimed_until)
    )


def webhook_delivery_attempt(*, delivery_id: int) -> str | None:
    """Make one attempt if the delivery is due; return its new state (None: nothing to do)."""
    if not _claim(delivery_id, timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event", "event__case").get(
        pk=delivery_id
    )
    started_at = timezone.now()
    refusal = _refusal(delivery)
    if refusal:
        response = transport.Response(None, refusal, 0, transport.Outcome.DEAD)
    else:
        response = _post(delivery)
    return _record(delivery_id, started_at, response)


def _refusal(delivery: WebhookDelivery) -> str:
    """Why the delivery must not be sent now ("" if it may). Checked at every attempt, since the
    endpoint or the organisation's part in the case may have changed since it was queued."""
    if not delivery.endpoint.is_active:
        return _("The endpoint is disabled.")
    if not selectors.endpoint_may_receive(delivery.endpoint, delivery.event):
        return _("Not sent: the organisation no longer takes part in the case.")
    return ""


def _post(delivery: WebhookDelivery) -> transport.Response:
    body = event_body(delivery.event)
    headers = signing.headers(
        secret=delivery.endpoint.secret,
        message_id=str(delivery.event_id),
        timestamp=int(timezone.now().timestamp()),
        body=body,
    )
    if delivery.event.request_id:  # the receiver can quote it when asking about a delivery
        headers["X-Request-ID"] = delivery.event.request_id
    return transport.post(url=delivery.endpoint.url, body=body, headers=headers)


@transaction.atomic
def _record(delivery_id: int, started_at: datetime, response: transport.Response) -> str:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    delivery.attempts += 1
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started_at,
        duration_ms=response.duration_ms,
        status_code=response.status_code,
        error=response.error,
    )
    delivery.last_status_code = response.status_code
    delivery.last_error = response.error
    delivery.claimed_until = None
    _advance(delivery, response.outcome)
    delivery.save()
    return delivery.state


def _advance(delivery: WebhookDelivery, outcome: transport.Outcome) -> None:
    now = timezone.now()
    delay = retry_delay(delivery.attempts_in_round)
    delivery.next_attempt_at = delivery.queued_for = None
    if outcome == transport.Outcome.DELIVERED:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
    elif outcome == transport.Outcome.RETRY and delay is not None:
        delivery.state = DeliveryState.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        if delay <= countdown_limit():
            eta = delivery.queued_for = delivery.next_attempt_at
            transaction.on_commit(lambda: webhook_delivery_hand_off(delivery.pk, eta=eta))
    else:
        delivery.state = DeliveryState.DEAD
    if outcome == transport.Outcome.GONE:
        reason = _("The receiver answered 410 Gone on %(when)s.") % {"when": now.isoformat()}
        webhook_endpoint_disable(endpoint_id=delivery.endpoint_id, reason=reason)


def webhook_deliveries_queue_due(*, limit: int = 500) -> int:
    """Queue the deliveries whose next attempt is due: long backoffs, and hand-offs that were lost.
    Should a delivery still be queued twice, it is sent once (the claim decides)."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            selectors.deliveries_to_queue(now, timedelta(seconds=settings.WEBHOOK_REQUEUE_GRACE))
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(queued_for=now)
        transaction.on_commit(lambda: _send_or_hand_off(ids))
    return len(ids)


def _send_or_hand_off(ids: list[int]) -> None:
    """With a broker, queue a send task per delivery. Without one (tasks in-process) this runs
    in the in-process schedule's thread, never in a request: send here, one after the other."""
    if current_app.conf.task_always_eager:
        for pk in ids:
            webhook_delivery_attempt(delivery_id=pk)
        return
    for pk in ids:
        webhook_delivery_hand_off(pk)
