"""Reads for operators: what in the notification pipeline is stuck (`manage.py deliveries_stuck`,
`manage.py deliveries_resend`).

Stuck means older than a threshold (`older_than`) and still not done:
- emails (and digest items): pending, or sending (claimed but never finished), or failed;
- webhook deliveries: dead, or pending/retrying with their next attempt long past due;
- outbox events not yet fanned out.

Every set is read over a partial index that holds only the rows in flight or failed, oldest
first, and every listing is cut at `limit`: the cost follows what is stuck, not the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from .choices import Channel, DeliveryState
from .models import Delivery, Event
from .services.email import WITHHELD_ERROR
from .webhooks.choices import OPEN_STATES
from .webhooks.choices import DeliveryState as WebhookState
from .webhooks.models import WebhookDelivery

KINDS = ("email", "webhook", "event")


@dataclass(frozen=True)
class Window:
    """Which rows count: created (or due) before `before`, and created on or after `since`."""

    before: datetime
    since: date | None = None


def _since(queryset: QuerySet[Any], window: Window) -> QuerySet[Any]:
    return queryset.filter(created_at__date__gte=window.since) if window.since else queryset


def stuck_emails(window: Window, *, failed_only: bool = False) -> QuerySet[Delivery]:
    """Email deliveries pending, and email or digest deliveries sending (claimed, never
    finished) or failed, created before the threshold. Pending digest items are not stuck: they
    wait for the daily digest. Failed ones withheld on purpose (the recipient may no longer see
    the case) are left out: sending them again would only withhold them again."""
    failed = Q(state=DeliveryState.FAILED) & ~Q(last_error=WITHHELD_ERROR)
    in_flight = Q(channel=Channel.EMAIL, state=DeliveryState.PENDING) | Q(
        state=DeliveryState.SENDING
    )
    rows = Delivery.objects.filter(
        failed if failed_only else failed | in_flight, created_at__lte=window.before
    )
    return _since(rows, window).order_by("created_at", "pk")


def stuck_webhooks(window: Window, *, failed_only: bool = False) -> QuerySet[WebhookDelivery]:
    """Dead webhook deliveries, and open ones whose next attempt was due before the threshold."""
    dead = Q(state=WebhookState.DEAD, created_at__lte=window.before)
    overdue = Q(state__in=OPEN_STATES, next_attempt_at__lte=window.before)
    rows = WebhookDelivery.objects.filter(dead if failed_only else dead | overdue)
    return _since(rows, window).order_by("created_at", "pk")


def stuck_events(window: Window) -> QuerySet[Event]:
    """Events written before the threshold and still not fanned out."""
    rows = Event.objects.filter(dispatched_at__isnull=True, created_at__lte=window.before)
    return _since(rows, window).order_by("created_at", "pk")


def _age(now: datetime, then: datetime | None) -> int | None:
    return int((now - then).total_seconds()) if then else None


def email_rows(queryset: QuerySet[Delivery], now: datetime, limit: int) -> list[dict[str, Any]]:
    rows = queryset.select_related("event__case", "recipient")[:limit]
    return [
        {
            "id": d.pk,
            "event": d.event_id,
            "kind": d.event.kind,
            "case": d.event.case.reference if d.event.case else None,
            "channel": d.channel,
            "recipient": d.recipient.username,
            "state": d.state,
            "attempts": d.attempts,
            "age_seconds": _age(now, d.created_at),
            "last_error": d.last_error,
        }
        for d in rows
    ]


def webhook_rows(
    queryset: QuerySet[WebhookDelivery], now: datetime, limit: int
) -> list[dict[str, Any]]:
    rows = queryset.select_related("event__case", "endpoint__organisation")[:limit]
    return [
        {
            "id": d.pk,
            "event": d.event_id,
            "kind": d.event.kind,
            "case": d.event.case.reference if d.event.case else None,
            "endpoint": d.endpoint_id,
            "organisation": d.endpoint.organisation.name,
            "state": d.state,
            "attempts": d.attempts,
            "age_seconds": _age(now, d.created_at),
            "overdue_seconds": _age(now, d.next_attempt_at) if d.state in OPEN_STATES else None,
            "last_error": d.last_error,
        }
        for d in rows
    ]


def event_rows(queryset: QuerySet[Event], now: datetime, limit: int) -> list[dict[str, Any]]:
    rows = queryset.select_related("case")[:limit]
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "case": e.case.reference if e.case else None,
            "age_seconds": _age(now, e.created_at),
            "request_id": e.request_id,
        }
        for e in rows
    ]
