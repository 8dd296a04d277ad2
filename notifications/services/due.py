"""Emails that are due, for the in-process schedule (no broker: tasks run in the web process).

With a broker, an email is queued after its fan-out (with a countdown for its burst window) and
a failed one is retried by a task with a countdown. Without one, nothing may be sent inside the
user's request, so the in-process schedule asks here every few seconds instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from ..choices import Channel, DeliveryState
from ..models import Delivery


def email_deliveries_due(*, now: datetime, limit: int) -> list[int]:
    """Pending emails whose burst window has passed: never tried, or last tried more than
    NOTIFICATIONS_EMAIL_RETRY_BASE seconds ago (a transient failure), oldest first."""
    window = timedelta(seconds=settings.NOTIFICATIONS_EMAIL_BURST_WINDOW)
    retry = now - timedelta(seconds=settings.NOTIFICATIONS_EMAIL_RETRY_BASE)
    due = Delivery.objects.filter(
        Q(attempts=0) | Q(claimed_at__lte=retry),
        channel=Channel.EMAIL,
        state=DeliveryState.PENDING,
        created_at__lte=now - window,
    ).order_by("created_at", "pk")
    return list(due.values_list("pk", flat=True)[:limit])
