"""Acceptance: a real Celery worker process, real Redis, the test PostgreSQL database and a real
local receiver. The worker runs with a fast backoff (0.2 s steps, four attempts at most)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app
from notifications.models import Event
from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import _redis_answers, need

from .helpers import post_update

# Under pytest-xdist one worker runs the whole module (ONE_WORKER in tests/conftest.py), so one
# Celery worker starts for it, not one per xdist worker.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

WORKER_START_TIMEOUT = 90
DELIVERY_TIMEOUT = 60


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, tmp_path_factory) -> Iterator[Path]:
    """A `celery -A config worker --pool=solo` subprocess on the test database; the test process
    sends its tasks through Redis for the duration (not in-process, as other tests do)."""
    redis_url = os.environ.get("REDIS_URL", "")
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    need(bool(redis_url) and _redis_answers(redis_url), "needs Redis: set REDIS_URL")
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "on",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "WEBHOOK_RETRY_SCHEDULE": "0.2,0.2,0.2",
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "on",  # the receiver listens on 127.0.0.1
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["--loglevel=info", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["-n", f"webhooks-test-{uuid.uuid4().hex[:8]}@%h"]
    with log.open("w") as output:
        worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until(lambda: "ready." in log.read_text(), WORKER_START_TIMEOUT, log)
        eager, broker = app.conf.task_always_eager, app.conf.broker_url
        app.conf.task_always_eager, app.conf.broker_url = False, redis_url
        yield log
        app.conf.task_always_eager, app.conf.broker_url = eager, broker
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait_until(condition: Callable[[], bool], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out; worker log:\n{log.read_text()[-4000:]}")
        time.sleep(0.1)


@pytest.fixture
def quiet_demo(transactional_demo):
    """The demo world, its own events already fanned out.

    Loading the demo queued a fan-out task per demo event for the worker; run late, those would
    find this test's endpoint and spend the receiver's scripted answers. Marked dispatched, they
    are no-ops (a fan-out of a dispatched event only re-sends what is pending). Rows the worker
    holds are skipped, not waited for (no deadlock), and finish on their own."""
    pending = Event.objects.filter(dispatched_at__isnull=True)
    with transaction.atomic():
        idle = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True))
        Event.objects.filter(pk__in=idle).update(dispatched_at=timezone.now())
    deadline = time.monotonic() + 30
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return transactional_demo


def _settled(delivery_filter: dict) -> bool:
    delivery = WebhookDelivery.objects.filter(**delivery_filter).first()
    return delivery is not None and delivery.state in (DeliveryState.DELIVERED, DeliveryState.DEAD)


def test_worker_delivers_on_the_fourth_attempt_after_three_server_errors(
    celery_worker, quiet_demo, receiver, make_endpoint
) -> None:
    hook = receiver([500, 500, 500, 200])
    endpoint = make_endpoint(quiet_demo.orgs.sodertalje, hook.url)
    hook.secret = endpoint.secret

    event = post_update(quiet_demo)

    lookup = {"event": event, "endpoint": endpoint}
    _wait_until(lambda: _settled(lookup), DELIVERY_TIMEOUT, celery_worker)
    delivery = WebhookDelivery.objects.get(**lookup)
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 4
    log = list(delivery.attempt_log.values_list("number", "status_code"))
    assert log == [(1, 500), (2, 500), (3, 500), (4, 200)]
    starts = list(delivery.attempt_log.values_list("started_at", flat=True))
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(starts)]
    assert all(gap >= 0.16 for gap in gaps), gaps  # backoff of 0.2 s minus at most 20 % jitter
    assert len(hook.requests) == 4
    assert all(request.signature_valid for request in hook.requests)
    assert {request.headers["webhook-id"] for request in hook.requests} == {str(event.pk)}


def test_worker_disables_an_endpoint_that_answers_410(
    celery_worker, quiet_demo, receiver, make_endpoint
) -> None:
    hook = receiver([410])
    endpoint = make_endpoint(quiet_demo.orgs.police, hook.url)

    event = post_update(quiet_demo)

    lookup = {"event": event, "endpoint": endpoint}
    _wait_until(lambda: _settled(lookup), DELIVERY_TIMEOUT, celery_worker)
    delivery = WebhookDelivery.objects.get(**lookup)
    assert delivery.state == DeliveryState.DEAD
    assert list(delivery.attempt_log.values_list("status_code", "error")) == [
        (410, "HTTP 410 Gone")
    ]
    endpoint = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert not endpoint.is_active
    assert "410" in endpoint.disabled_reason
    assert len(hook.requests) == 1
