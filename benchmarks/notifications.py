"""Notification pipeline benchmark (docs/benchmarks.md, "Notifications").

1. Fan-out: one event to 1,000 recipients against one event to one recipient, timed side by
   side in this process on PostgreSQL (median of several runs); the ratio is the figure.
2. Throughput: events per second through the whole pipeline with one Celery worker (solo pool):
   events queued in Redis, then the worker fans them out, writes the inbox and sends every email
   to a real SMTP server in this process. Timed from the worker's start to the last email.

Run (needs PostgreSQL and Redis; uses its own database and Redis db 15, which it empties):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench \\
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python benchmarks/notifications.py
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "on")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cases import services as case_services  # noqa: E402
from cases.demo import demo_data_present, load_demo_data  # noqa: E402
from cases.models import Action, Case, Theme  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from notifications import services  # noqa: E402
from notifications.choices import DeliveryState, EventKind  # noqa: E402
from notifications.models import CaseFollow, Delivery, Event  # noqa: E402

FOLLOWERS = 1000
RUNS = 7
PIPELINE_EVENTS = int(os.environ.get("BENCH_EVENTS", "300"))


def setup_world() -> tuple[Case, Case]:
    """A public case with one follower-to-be (its coordinator) and one with 1,000 followers."""
    call_command("migrate", verbosity=0)
    celery_app.conf.task_always_eager = True  # the setup's own events are fanned out in-process
    if not demo_data_present():
        load_demo_data()
    users = get_user_model().objects
    anna, carl = users.get(username="anna"), users.get(username="carl")
    theme = Theme.objects.first()
    small, big = (
        Case.objects.filter(title=title).first()
        or case_services.case_create(
            actor=anna,
            title=title,
            summary="Benchmark",
            theme=theme,
            is_national=True,
            visibility="public",
            coordinator=carl,
        )
        for title in ("Bench: one recipient", "Bench: 1000 recipients")
    )
    existing = set(CaseFollow.objects.filter(case=big).values_list("user_id", flat=True))
    if len(existing) < FOLLOWERS:
        new = [
            users.model(username=f"bench{n}", email=f"bench{n}@bench.localhost")
            for n in range(FOLLOWERS)
        ]
        users.bulk_create(new, ignore_conflicts=True)
        ids = users.filter(username__startswith="bench").values_list("pk", flat=True)
        CaseFollow.objects.bulk_create(
            [CaseFollow(case=big, user_id=pk) for pk in ids], ignore_conflicts=True
        )
    return small, big


def time_fan_out(case: Case, actor) -> float:
    event = Event.objects.create(kind=EventKind.CASE_UPDATED, case=case, actor=actor, payload={})
    started = time.perf_counter()
    services.event_fan_out(event_id=event.pk)
    elapsed = time.perf_counter() - started
    recipients = event.notifications.count()
    assert recipients >= (FOLLOWERS if case.title.endswith("1000 recipients") else 1), recipients
    return elapsed


def bench_fan_out(small: Case, big: Case) -> dict[str, float]:
    anna = get_user_model().objects.get(username="anna")
    one, many = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        one.append(time_fan_out(small, anna))
        many.append(time_fan_out(big, anna))
    one_ms, many_ms = statistics.median(one) * 1000, statistics.median(many) * 1000
    return {"one_ms": one_ms, "thousand_ms": many_ms, "ratio": many_ms / one_ms}


class Inbox:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def bench_pipeline() -> dict[str, float]:
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    inbox = Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    users = get_user_model().objects
    petra, picture = (
        users.get(username="petra"),
        Action.objects.filter(title__startswith="Gemensam", case__title__startswith="Unga").first(),
    )
    celery_app.conf.task_always_eager = False
    first = Event.objects.order_by("-pk").values_list("pk", flat=True).first()
    for n in range(PIPELINE_EVENTS):  # queued in Redis; no worker runs yet
        case_services.action_update_post(actor=petra, action=picture, text=f"Bench {n}")
    events = Event.objects.filter(pk__gt=first)
    emails = Delivery.objects.filter(event__in=events, channel="email")
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "LOG_LEVEL": "WARNING",
        # A production-like worker: DEBUG off (Django would otherwise keep every query in memory).
        "DEBUG": "off",
        "CONN_MAX_AGE": "60",  # a worker keeps its database connection between tasks
        "SECRET_KEY": "benchmark-only-secret-key-not-used-anywhere-else-0123456789",
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    started = time.perf_counter()
    try:
        deadline = started + 600
        while time.perf_counter() < deadline:
            undispatched = events.filter(dispatched_at__isnull=True).exists()
            if not undispatched and not emails.exclude(state=DeliveryState.SENT).exists():
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
        smtp.stop()
    first_dispatch = min(events.values_list("dispatched_at", flat=True))
    last_email = max(emails.values_list("sent_at", flat=True))
    steady = (last_email - first_dispatch).total_seconds()
    return {
        "steady_seconds": steady,
        "steady_events_per_second": events.count() / steady,
        "events": events.count(),
        "notifications": sum(e.notifications.count() for e in events),
        "emails": inbox.count,
        "seconds": elapsed,
        "events_per_second": events.count() / elapsed,
    }


def main() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL; see the docstring.")
    small, big = setup_world()
    fan_out = bench_fan_out(small, big)
    print(
        f"fan-out, median of {RUNS}: 1 recipient {fan_out['one_ms']:.1f} ms, "
        f"{FOLLOWERS} recipients {fan_out['thousand_ms']:.1f} ms, "
        f"ratio {fan_out['ratio']:.2f} (target <= 5)"
    )
    if os.environ.get("BENCH_SKIP_PIPELINE"):
        return
    pipeline = bench_pipeline()
    print(
        f"pipeline, one worker (solo): {pipeline['events']} events, "
        f"{pipeline['notifications']} notifications, {pipeline['emails']} emails over SMTP "
        f"in {pipeline['seconds']:.1f} s = {pipeline['events_per_second']:.1f} events/s "
        "(includes worker start-up); "
        f"from the first fan-out to the last email {pipeline['steady_seconds']:.1f} s = "
        f"{pipeline['steady_events_per_second']:.1f} events/s"
    )


if __name__ == "__main__":
    main()
