"""What still waits in the broker's fan-out queue. The sweeper asks before it queues an event a
second time: an event published after the oldest message still waiting has not been taken by a
worker yet (the queue is first in, first out), so queueing it again would only double a backlog.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from celery import current_app
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueHead:
    """`known`: the broker answered; `oldest`: the hand-off time of the oldest message waiting
    in the fan-out queue (None: the queue is empty, or its head carries no hand-off time)."""

    known: bool
    oldest: datetime | None = None
    empty: bool = False


def _hand_off_time(raw: bytes) -> datetime | None:
    """The `handed_off` argument of a queued fan-out task (kombu's Redis message, Celery's task
    protocol 2: a base64 body of [args, kwargs, embed]); None for any other task."""
    try:
        message = json.loads(raw)
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        _args, kwargs, _embed = json.loads(body)
        return datetime.fromtimestamp(float(kwargs["handed_off"]), UTC)
    except (ValueError, KeyError, TypeError):
        return None


def fanout_queue_head() -> QueueHead:
    """Peek at the oldest message of the fan-out queue (kombu pushes on the left and workers pop
    on the right, so the oldest is at index -1). Unknown when the broker does not answer."""
    url = current_app.conf.broker_url or ""
    if current_app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
        return QueueHead(known=True, empty=True)  # in-process tasks: nothing ever waits
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        raw = client.lindex(settings.NOTIFICATIONS_QUEUE_FANOUT, -1)
    except redis.RedisError:
        logger.warning("Could not read the fan-out queue's head", exc_info=True)
        return QueueHead(known=False)
    finally:
        client.close()
    if raw is None:
        return QueueHead(known=True, empty=True)
    return QueueHead(known=True, oldest=_hand_off_time(raw))
