"""The embedded default (no Redis, tasks in-process): no webhook or email is sent inside the
user's request. The inbox is written on commit; emails and webhook deliveries wait for the
in-process schedule of `manage.py serve`, which sends them a few seconds later."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.scheduler import InProcessScheduler
from notifications.choices import Channel, DeliveryState, EventKind
from notifications.models import Delivery, Event, Notification
from notifications.webhooks.choices import DeliveryState as WebhookState
from notifications.webhooks.models import WebhookDelivery

ROOT = Path(__file__).resolve().parents[2]
RECEIVER_DELAY = 3.0  # seconds a slow receiver takes to answer


class SlowReceiver:
    """A webhook receiver that takes RECEIVER_DELAY seconds per request; records arrival times."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.arrivals.append(time.monotonic())
                time.sleep(RECEIVER_DELAY)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/samverkan"


@pytest.fixture
def slow_receiver():  # type: ignore[no-untyped-def]
    receiver = SlowReceiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now


def test_without_redis_the_schedule_sends_emails_and_webhooks_every_few_seconds() -> None:
    """The settings a laptop gets (no REDIS_URL) put both send jobs in the in-process schedule."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    code = (
        "from config.settings import base as s; e = s.CELERY_BEAT_SCHEDULE; "
        "print(e['emails-due']['task'], e['emails-due']['schedule'], "
        "e['webhook-deliveries-due']['schedule'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "DEBUG": "on"},
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert output == ["notifications.tasks.emails_due_send", "3.0", "3.0"]


@pytest.mark.usefixtures("emails_at_once")
def test_a_form_post_sends_nothing_and_the_schedule_delivers_a_few_seconds_later(
    demo, slow_receiver, make_endpoint, mailoutbox, tmp_path, django_capture_on_commit_callbacks
) -> None:
    make_endpoint(demo.orgs.sodertalje, slow_receiver.url)
    client = Client()
    client.force_login(demo.petra)
    url = reverse("action_detail", args=[demo.actions.picture.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Lägesbilden är klar", "new_status": ""})

    assert response.status_code == 302
    event = Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).order_by("-pk").first()
    # The inbox is written on commit; the slow receiver and the mail server were not waited for.
    assert Notification.objects.filter(event=event, recipient=demo.carl).exists()
    assert slow_receiver.arrivals == [] and mailoutbox == []
    assert WebhookDelivery.objects.get(event=event).state == WebhookState.PENDING
    emails = Delivery.objects.filter(event=event, channel=Channel.EMAIL)
    assert emails.exists() and not emails.exclude(state=DeliveryState.PENDING).exists()

    clock = Clock()
    schedule = {**django_settings.CELERY_BEAT_SCHEDULE, **django_settings.IN_PROCESS_SEND_SCHEDULE}
    scheduler = InProcessScheduler(schedule, clock=clock, state_file=tmp_path / "schedule.json")
    clock.now += timedelta(seconds=django_settings.NOTIFICATIONS_IN_PROCESS_SEND_INTERVAL)
    with django_capture_on_commit_callbacks(execute=True):
        ran = scheduler.tick()

    assert {"emails-due", "webhook-deliveries-due"} <= set(ran)
    assert len(slow_receiver.arrivals) == 1
    assert WebhookDelivery.objects.get(event=event).state == WebhookState.DELIVERED
    assert demo.carl.email in [m.to[0] for m in mailoutbox]
    assert not emails.exclude(state=DeliveryState.SENT).exists()
