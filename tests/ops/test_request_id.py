"""The request id: taken from X-Request-ID or made, returned, on every log record of the request
(JSON logs), on the change's event row, on the webhook it sends, and in the Celery worker's log
lines for the fan-out, email and webhook of that change."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from config import logs, request_id
from notifications import services
from notifications.choices import EventKind
from notifications.models import Event
from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.models import WebhookDelivery
from tests.helpers import run_scheduled_sends
from tests.webhooks.helpers import post_update

from ..notifications.conftest import wait_for

GIVEN = "abc-123-e2e.request"


@pytest.fixture
def json_records(settings) -> Iterator[io.StringIO]:
    """What the root logger writes with LOG_FORMAT=json, as the production handler would."""
    settings.LOG_REQUESTS = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def parsed(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def post_progress(demo, **headers: str):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(demo.petra)
    return client.post(
        f"/api/v1/actions/{demo.actions.picture.pk}/updates/",
        {"text": "Rapport: lägesbilden är klar"},
        content_type="application/json",
        **headers,
    )


def test_a_request_without_an_id_gets_a_fresh_one_in_the_response(db) -> None:
    first = Client().get("/accounts/login/")["X-Request-ID"]
    second = Client().get("/accounts/login/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_well_formed_id_from_the_caller_is_kept(db) -> None:
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID=GIVEN)
    assert response["X-Request-ID"] == GIVEN


@pytest.mark.parametrize(
    "given", ["a" * 65, "has space", 'quote"d', "-leading-dash", "åäö", "line\nbreak"]
)
def test_an_ill_formed_or_overlong_id_is_replaced(db, given: str) -> None:
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_change_logs_json_under_the_callers_id_and_keeps_it_on_its_event(
    demo, json_records
) -> None:
    response = post_progress(demo, HTTP_X_REQUEST_ID=GIVEN)
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == GIVEN

    records = parsed(json_records)
    access = [r for r in records if r["logger"] == "samverkan.requests"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == GIVEN
    assert line["status"] == 201 and line["method"] == "POST"
    assert line["user_id"] == demo.petra.pk
    assert {"time", "level", "message"} <= line.keys()
    event = Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).latest("pk")
    assert event.request_id == GIVEN


def test_every_record_logged_during_a_request_carries_its_id(db, json_records) -> None:
    Client().get("/cases/SAM-1999-0001/", HTTP_X_REQUEST_ID=GIVEN)  # anonymous: a redirect
    logging.getLogger("samverkan.elsewhere").warning("outside any request")
    records = parsed(json_records)
    assert [r["request_id"] for r in records if r["logger"] == "samverkan.requests"] == [GIVEN]
    outside = [r for r in records if r["logger"] == "samverkan.elsewhere"]
    assert outside[0]["request_id"] is None


def test_plain_text_lines_start_with_the_request_id_only_inside_a_request() -> None:
    formatter = logs.TextFormatter("%(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    logs.RequestIdFilter().filter(record)
    assert formatter.format(record) == "hello"
    with request_id.bound(GIVEN):
        logs.RequestIdFilter().filter(record)
    assert formatter.format(record) == f"[{GIVEN}] hello"


def test_a_webhook_carries_the_request_id_of_the_change(
    demo, receiver, make_endpoint, django_capture_on_commit_callbacks, settings
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    hook = receiver([200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    with django_capture_on_commit_callbacks(execute=True), request_id.bound(GIVEN):
        event = post_update(demo)
    # Nothing is sent inside the request; the schedule's send job runs outside it, with no
    # request id bound: the header comes from the event row.
    run_scheduled_sends()
    assert WebhookDelivery.objects.get(event=event).state == DeliveryState.DELIVERED
    assert hook.requests[0].headers["x-request-id"] == GIVEN


# The worker: real Celery, real Redis, the test database


def _worker_records(log_text: str, rid: str) -> list[dict]:
    records = []
    for line in log_text.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("request_id") == rid:
                records.append(record)
    return records


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.usefixtures("emails_at_once")
def test_the_worker_logs_the_fan_out_email_and_webhook_of_a_change_under_its_request_id(
    pipeline, receiver, make_endpoint, settings
) -> None:
    """A change made with X-Request-ID: the worker's JSON lines for its fan-out, its email and
    its webhook carry that id; so does a change whose hand-off was lost and that the sweeper
    queued later (the id then comes from the event row)."""
    demo = pipeline.demo
    # The demo's own events are not this test's: mark them done so nothing else runs.
    Event.objects.filter(dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    hook = receiver([200])
    make_endpoint(demo.orgs.sodertalje, hook.url)
    pipeline.worker.env["LOG_FORMAT"] = "json"
    pipeline.worker.start()

    assert post_progress(demo, HTTP_X_REQUEST_ID=GIVEN).status_code == 201
    tasks = {
        "notifications.tasks.event_dispatch",
        "notifications.tasks.email_deliveries_send",
        "notifications.webhooks.tasks.webhook_delivery_send",
    }

    def logged_tasks(rid: str) -> set[str]:
        records = _worker_records(pipeline.worker.log.read_text(), rid)
        return {r.get("task_name") for r in records if r["logger"] == "samverkan.tasks"}

    wait_for(lambda: logged_tasks(GIVEN) >= tasks, 60, "the worker's lines under the id")
    assert any(m["To"] == demo.carl.email for m in pipeline.smtp.messages)
    assert hook.requests[0].headers["x-request-id"] == GIVEN

    # A second change whose hand-off fails (Redis down); the sweeper queues it later.
    swept = "swept-change-456"
    pipeline.redis.stop()
    assert post_progress(demo, HTTP_X_REQUEST_ID=swept).status_code == 201
    pipeline.redis.start()
    settings.NOTIFICATIONS_SWEEP_GRACE = 0
    # The sweep as beat runs it, here in the test process, outside any request; the first
    # publish after Redis's restart may meet a stale pooled connection, so it is tried again.
    wait_for(lambda: services.outbox_sweep()[0] >= 1, 30, "the sweep to queue the event")
    wait_for(
        lambda: "notifications.tasks.event_dispatch" in logged_tasks(swept),
        90,
        "the swept fan-out's line under the change's id",
    )
