"""A worker on every queue takes a waiting fan-out before the next email batch (the Redis
transport's `queue_order_strategy: "priority"`, in the order of -Q fanout,email,webhooks), so
an inbox never waits behind a backlog of emails. A real worker process and Redis."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from notifications.tasks import email_deliveries_send

from .conftest import Worker, wait_for
from .test_pipeline_integration import make_change, new_events

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

QUEUES = ",".join(
    (
        settings.NOTIFICATIONS_QUEUE_FANOUT,
        settings.NOTIFICATIONS_QUEUE_EMAIL,
        settings.NOTIFICATIONS_QUEUE_WEBHOOKS,
    )
)


def _taken(log) -> list[str]:
    """The tasks in the order the worker took them (one at a time: solo pool, prefetch 1)."""
    return re.findall(r"Task notifications\.tasks\.(\w+)\[[^\]]+\] received", log.read_text())


def test_a_waiting_fan_out_goes_before_email_batches_queued_earlier(pipeline, tmp_path) -> None:
    demo = pipeline.demo
    for n in range(3):  # three email batches wait first (their deliveries are long gone)
        email_deliveries_send.delay([-1 - n])
    for n in range(3):  # then three changes, whose fan-outs wait behind them in time
        make_change(demo, f"Rapport {n}")
    worker = Worker(pipeline.worker.env, tmp_path / "all.log", queues=QUEUES)
    try:
        worker.start()
        wait_for(
            lambda: _taken(worker.log).count("email_deliveries_send") >= 3,
            60,
            "the worker to take the waiting email batches",
        )
    finally:
        worker.stop()
    order = _taken(worker.log)
    assert not new_events().filter(dispatched_at__isnull=True).exists()
    # Every fan-out ran before the first email batch, although the emails were queued first.
    first_email = order.index("email_deliveries_send")
    assert order[:first_email] == ["event_dispatch"] * 3, order
