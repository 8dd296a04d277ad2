"""Writing one event's rows for many recipients in one statement.

On PostgreSQL the recipient ids travel as one array parameter (`unnest`), so 1,000 recipients
cost about what one does in Python; elsewhere (SQLite on a laptop) Django's bulk_create does it.
Conflicts are ignored: the unique constraints make a rerun write nothing new.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from ..choices import Channel, DeliveryState
from ..models import Delivery, Notification


def notifications_insert(event_id: int, recipient_ids: list[int], now: datetime) -> None:
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [
                Notification(event_id=event_id, recipient_id=r, created_at=now)
                for r in recipient_ids
            ],
            ignore_conflicts=True,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} (event_id, recipient_id, created_at) "
            "SELECT %s, r, %s FROM unnest(%s::bigint[]) AS r ON CONFLICT DO NOTHING",
            [event_id, now, recipient_ids],
        )


def deliveries_insert(event_id: int, channels: dict[int, str], now: datetime) -> list[int]:
    """One delivery per recipient id -> channel; returns the ids of the new email deliveries."""
    if connection.vendor != "postgresql":
        Delivery.objects.bulk_create(
            [
                Delivery(event_id=event_id, channel=c, recipient_id=r, created_at=now)
                for r, c in channels.items()
            ],
            ignore_conflicts=True,
        )
        return pending_email_ids(event_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Delivery._meta.db_table} "
            "(event_id, channel, recipient_id, state, attempts, created_at, last_error) "
            "SELECT %s, c, r, %s, 0, %s, '' FROM unnest(%s::bigint[], %s::text[]) AS t(r, c) "
            "ON CONFLICT DO NOTHING RETURNING id, channel",
            [event_id, DeliveryState.PENDING, now, list(channels), list(channels.values())],
        )
        return [pk for pk, channel in cursor.fetchall() if channel == Channel.EMAIL]


def pending_email_ids(event_id: int) -> list[int]:
    pending = Delivery.objects.filter(
        event_id=event_id, channel=Channel.EMAIL, state=DeliveryState.PENDING
    )
    return list(pending.values_list("pk", flat=True))
