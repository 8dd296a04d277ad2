"""Operators' re-send of stuck deliveries (`manage.py deliveries_resend`).

Re-sending only reopens rows and queues them again; the normal claims decide what is sent. An
email is claimed with a conditional UPDATE (pending -> sending) and keeps its Message-ID, a
webhook delivery is claimed the same way and keeps its `webhook-id`, and a fan-out finds an event
already dispatched: running the command twice, or while the sweeper runs, sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..choices import Channel, DeliveryState
from ..models import Delivery, Event
from ..webhooks.choices import OPEN_STATES
from ..webhooks.choices import DeliveryState as WebhookState
from ..webhooks.models import WebhookDelivery


def email_deliveries_reopen(*, delivery_ids: list[int]) -> list[int]:
    """Put failed emails, and claims older than the send lease, back to pending with a fresh
    retry budget; return the ids of `delivery_ids` that are now pending email deliveries (to
    queue). Sent ones, and claims still within their lease, are left alone."""
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_EMAIL_SEND_LEASE)
    with transaction.atomic():
        Delivery.objects.filter(
            Q(state=DeliveryState.FAILED) | Q(state=DeliveryState.SENDING, claimed_at__lte=lease),
            pk__in=delivery_ids,
            channel=Channel.EMAIL,
        ).update(state=DeliveryState.PENDING, attempts=0)
        pending = Delivery.objects.filter(
            pk__in=delivery_ids, channel=Channel.EMAIL, state=DeliveryState.PENDING
        )
        return sorted(pending.values_list("pk", flat=True))


def webhook_deliveries_reopen(*, delivery_ids: list[int]) -> list[int]:
    """Reopen dead deliveries with a fresh retry budget and make open ones due now, for active
    endpoints only; return the ids to queue. A delivery held by a sender is left to it."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            WebhookDelivery.objects.select_for_update(of=("self",))
            .filter(pk__in=delivery_ids, endpoint__is_active=True)
            .filter(Q(state=WebhookState.DEAD) | Q(state__in=OPEN_STATES))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        )
        for delivery in rows:
            if delivery.state == WebhookState.DEAD:
                delivery.state = WebhookState.PENDING
                delivery.attempts_before_replay = delivery.attempts
            delivery.next_attempt_at = delivery.queued_for = now
            delivery.claimed_until = None
            delivery.save(
                update_fields=[
                    "state",
                    "attempts_before_replay",
                    "next_attempt_at",
                    "queued_for",
                    "claimed_until",
                    "updated_at",
                ]
            )
    return sorted(delivery.pk for delivery in rows)


def undispatched_event_ids(*, event_ids: list[int]) -> list[int]:
    """Of `event_ids`, those not yet fanned out (the others have nothing to re-send)."""
    rows = Event.objects.filter(pk__in=event_ids, dispatched_at__isnull=True)
    return sorted(rows.values_list("pk", flat=True))
