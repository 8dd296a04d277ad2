"""Celery tasks of the webhook channel: thin, ids only, acknowledged late (prefetch 1 is global)."""

from __future__ import annotations

from celery import shared_task

from .sending import webhook_deliveries_queue_due, webhook_delivery_attempt

# The hard limit stays under sending.CLAIM_SECONDS, so a killed sender's claim has expired
# before anyone else may pick the delivery up.
SEND_LIMITS = {"soft_time_limit": 45, "time_limit": 60}


@shared_task(acks_late=True, ignore_result=True, **SEND_LIMITS)
def webhook_delivery_send(delivery_id: int) -> str | None:
    return webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=60)
def webhook_deliveries_due() -> int:
    return webhook_deliveries_queue_due()
