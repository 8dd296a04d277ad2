"""R1: Redis stopped mid-run while the REST API takes changes (docs/benchmarks.md, "Redis outage").

Everything runs on 127.0.0.1, the real parts only:
- a private `redis-server` on a free port (`--save '' --appendonly no`: it keeps nothing on disk),
  the app's cache *and* broker;
- gunicorn serving the app (2 workers), a Celery worker and `celery beat` (the outbox sweeper and
  the webhook due-sweep on their schedule), all with REDIS_URL pointing at that Redis;
- an aiosmtpd SMTP server and a webhook receiver that checks every Standard Webhooks signature.

It sends `--changes` progress reports (`POST /api/v1/actions/{id}/updates/` with a personal
token). When half of them are answered, Redis is killed (SIGKILL); `--outage` seconds later a new,
empty redis-server starts on the same port. Then it waits for the pipeline to settle and prints:
requests 2xx/total, inbox rows expected vs found (no missing, no doubled), emails received at
the SMTP server (each at least once, duplicates counted) and webhooks delivered (once each).

Run (PostgreSQL needed; the database is created and migrated if missing, and the demo data
loaded; the run's own changes stay in it):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_outage \\
    .venv/bin/python benchmarks/redis_outage.py --changes 1000 --outage 30

The CI test tests/resilience/test_redis_outage.py runs `run()` at a smaller size.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# Every change's text starts with this run's tag, so its events are told apart from earlier runs'.
TAG = f"Avbrott {uuid.uuid4().hex[:8]}:"

# The pipeline's cadence during the run (seconds). The defaults (a sweep a minute, a resend
# after ten minutes) would make the run wait minutes for what a restarted Redis lost.
PIPELINE_ENV = {
    "NOTIFICATIONS_SWEEP_INTERVAL": "5",
    "NOTIFICATIONS_SWEEP_GRACE": "30",
    "NOTIFICATIONS_SWEEP_RESEND": "60",
    "NOTIFICATIONS_EMAIL_BURST_WINDOW": "0",
    "WEBHOOK_DUE_SWEEP_INTERVAL": "5",
    "WEBHOOK_REQUEUE_GRACE": "60",
}


# The receivers.


class SmtpSink:
    """aiosmtpd in a thread; counts every message by its X-Samverkan-Delivery ids."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        from tests.notifications.conftest import free_port

        self.received: Counter[int] = Counter()
        self.messages = 0
        lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                message = message_from_bytes(envelope.original_content)
                ids = [
                    int(pk) for pk in str(message["X-Samverkan-Delivery"] or "").split(",") if pk
                ]
                with lock:
                    sink.messages += 1
                    sink.received.update(ids)
                return "250 OK"

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    def start(self) -> None:
        self.controller.start()

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()


class WebhookSink:
    """An HTTP receiver that verifies each request's signature (tests/webhooks/conftest.py's
    independent implementation) and counts deliveries by webhook-id (the event)."""

    def __init__(self, secret: str = "") -> None:
        from tests.webhooks.conftest import standard_webhooks_verify

        self.secret = secret
        self.received: Counter[str] = Counter()
        self.bad_signatures = 0
        lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                valid = standard_webhooks_verify(sink.secret, headers, body)
                with lock:
                    sink.received[headers.get("webhook-id", "")] += 1
                    sink.bad_signatures += not valid
                self.send_response(200 if valid else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/samverkan"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Gunicorn:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        from tests.notifications.conftest import free_port

        self.env, self.log, self.port = env, log, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import requests

        from tests.notifications.conftest import wait_for

        args = [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

        def answers() -> bool:
            try:
                return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        wait_for(answers, 60, "gunicorn")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


# The world and the run.


@dataclass
class World:
    token: str
    action_id: int
    secret: str


def prepare_world(webhook_url: str) -> World:
    """Everyone gets email at once (the email channel is what is measured), the action's lead
    organisation has a webhook endpoint, and petra (who reports) a personal token."""
    from django.contrib.auth import get_user_model

    from agencies.services import api_token_create
    from cases.models import Action
    from notifications.choices import EmailMode
    from notifications.models import NotificationPreference
    from notifications.preferences import PREFERENCE_KEYS
    from notifications.webhooks.models import WebhookEndpoint
    from notifications.webhooks.signing import secret_generate

    users = get_user_model().objects.all()
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=key, email=EmailMode.IMMEDIATELY)
            for user in users
            for key in PREFERENCE_KEYS
        ],
        ignore_conflicts=True,
    )
    NotificationPreference.objects.update(email=EmailMode.IMMEDIATELY)
    action = Action.objects.get(title__startswith="Gemensam", case__title__startswith="Unga i")
    WebhookEndpoint.objects.filter(url__contains="/hooks/samverkan").update(is_active=False)
    secret = secret_generate()
    WebhookEndpoint.objects.create(
        organisation_id=action.lead_organisation_id, url=webhook_url, event_kinds=[], secret=secret
    )
    petra = get_user_model().objects.get(username="petra")
    _token, token = api_token_create(user=petra, name=f"outage {uuid.uuid4().hex[:6]}")
    return World(token=token, action_id=action.pk, secret=secret)


@dataclass
class Outcome:
    changes: int
    outage: float
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    outage_latencies: list[float] = field(default_factory=list)
    events: int = 0
    inbox_expected: int = 0
    inbox_found: int = 0
    inbox_missing: int = 0
    inbox_doubled: int = 0
    emails_expected: int = 0
    emails_missing: int = 0
    email_duplicates: int = 0
    smtp_messages: int = 0
    webhooks_expected: int = 0
    webhooks_missing: int = 0
    webhook_duplicates: int = 0
    bad_signatures: int = 0
    recovery_seconds: float = 0.0
    settled: bool = False

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    def lines(self) -> list[str]:
        def ms(values: list[float], q: float) -> str:
            if not values:
                return "-"
            return f"{statistics.quantiles(values, n=100)[int(q) - 1] * 1000:.0f}"

        return [
            f"requests 2xx: {self.ok}/{self.changes}   statuses {dict(self.statuses)}",
            f"latency ms (all): p50 {ms(self.latencies, 50)}  p95 {ms(self.latencies, 95)}  "
            f"max {max(self.latencies, default=0) * 1000:.0f}",
            f"latency ms (Redis down): p50 {ms(self.outage_latencies, 50)}  "
            f"p95 {ms(self.outage_latencies, 95)}  "
            f"max {max(self.outage_latencies, default=0) * 1000:.0f}  "
            f"({len(self.outage_latencies)} requests)",
            f"events recorded: {self.events}",
            f"inbox rows: expected {self.inbox_expected}, found {self.inbox_found}, "
            f"missing {self.inbox_missing}, doubled {self.inbox_doubled}",
            f"emails: expected {self.emails_expected}, missing {self.emails_missing}, "
            f"duplicates {self.email_duplicates} ({self.smtp_messages} received)",
            f"webhooks: expected {self.webhooks_expected}, missing {self.webhooks_missing}, "
            f"duplicates {self.webhook_duplicates}, bad signatures {self.bad_signatures}",
            f"settled {self.recovery_seconds:.0f} s after Redis came back"
            + ("" if self.settled else " (TIMED OUT: not settled)"),
        ]


def _send_changes(
    gunicorn: Gunicorn, world: World, outcome: Outcome, down: threading.Event, half: threading.Event
) -> None:
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {world.token}"
    url = f"{gunicorn.url}/api/v1/actions/{world.action_id}/updates/"
    for n in range(outcome.changes):
        during_outage = down.is_set()
        started = time.monotonic()
        try:
            status = session.post(url, json={"text": f"{TAG} {n}"}, timeout=30).status_code
        except requests.RequestException:
            status = 0
        elapsed = time.monotonic() - started
        outcome.statuses[status] += 1
        outcome.latencies.append(elapsed)
        if during_outage and down.is_set():
            outcome.outage_latencies.append(elapsed)
        if n + 1 >= outcome.changes // 2:
            half.set()


def _outage(redis: Any, seconds: float, down: threading.Event, half: threading.Event) -> None:
    half.wait()
    assert redis.process is not None
    redis.process.kill()  # SIGKILL: what it held in memory (queued tasks) is gone
    redis.process.wait(10)
    down.set()
    time.sleep(seconds)
    redis.start()  # empty, same port
    down.clear()


def _settled() -> bool:
    from notifications.choices import Channel
    from notifications.choices import DeliveryState as EmailState
    from notifications.models import Delivery, Event
    from notifications.webhooks.choices import OPEN_STATES
    from notifications.webhooks.models import WebhookDelivery

    events = Event.objects.filter(payload__text__startswith=TAG)
    return not (
        events.filter(dispatched_at__isnull=True).exists()
        or Delivery.objects.filter(
            event__in=events,
            channel=Channel.EMAIL,
            state__in=[EmailState.PENDING, EmailState.SENDING],
        ).exists()
        or WebhookDelivery.objects.filter(event__in=events, state__in=OPEN_STATES).exists()
    )


def _count(outcome: Outcome, smtp: SmtpSink, hooks: WebhookSink, recipients: int) -> None:
    """Compare what the database says was owed with what the receivers got."""
    from django.db.models import Count

    from notifications.choices import Channel
    from notifications.models import Delivery, Event, Notification
    from notifications.webhooks.models import WebhookDelivery

    events = Event.objects.filter(payload__text__startswith=TAG)
    outcome.events = events.count()
    per_event = dict(
        Notification.objects.filter(event__in=events)
        .values("event")
        .annotate(n=Count("id"))
        .values_list("event", "n")
    )
    outcome.inbox_expected = outcome.events * recipients
    outcome.inbox_found = sum(per_event.values())
    event_ids = list(events.values_list("pk", flat=True))
    outcome.inbox_missing = sum(max(0, recipients - per_event.get(pk, 0)) for pk in event_ids)
    outcome.inbox_doubled = sum(max(0, n - recipients) for n in per_event.values())
    emails = list(
        Delivery.objects.filter(event__in=events, channel=Channel.EMAIL).values_list(
            "pk", flat=True
        )
    )
    outcome.emails_expected = len(emails)
    outcome.emails_missing = sum(1 for pk in emails if not smtp.received[pk])
    outcome.email_duplicates = sum(max(0, smtp.received[pk] - 1) for pk in emails)
    outcome.smtp_messages = sum(smtp.received[pk] for pk in emails)
    hook_events = [
        str(pk)
        for pk in WebhookDelivery.objects.filter(event__in=events).values_list(
            "event_id", flat=True
        )
    ]
    outcome.webhooks_expected = len(hook_events)
    outcome.webhooks_missing = sum(1 for pk in hook_events if not hooks.received[pk])
    outcome.webhook_duplicates = sum(max(0, hooks.received[pk] - 1) for pk in hook_events)
    outcome.bad_signatures = hooks.bad_signatures


def _recipients_per_change() -> int:
    """Who gets a progress report on the action, from the fan-out's own rules (every change of
    the run has the same audience: nobody follows or leaves the case meanwhile)."""
    from django.contrib.auth import get_user_model

    from cases.models import Action
    from notifications.choices import EventKind
    from notifications.models import Event
    from notifications.services import event_recipients

    action = Action.objects.get(title__startswith="Gemensam", case__title__startswith="Unga i")
    probe = Event(
        kind=EventKind.ACTION_UPDATE_POSTED,
        actor=get_user_model().objects.get(username="petra"),
        case=action.case,
        object_type="action",
        object_id=action.pk,
        payload={},
    )
    return len(event_recipients(probe))


def run(
    *,
    changes: int,
    outage: float,
    database_url: str,
    workdir: Path,
    env: dict[str, str] | None = None,
    settle_timeout: float = 600,
) -> Outcome:
    """Start the parts, send the changes with Redis killed midway, wait, count (see module)."""
    from tests.notifications.conftest import RedisServer, Worker

    workdir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(workdir)
    smtp, hooks = SmtpSink(), WebhookSink()
    world = prepare_world(hooks.url)
    hooks.secret = world.secret
    process_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "on",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "on",
        "SCHEDULE_IN_PROCESS": "off",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "beat-schedule"),
        **PIPELINE_ENV,
        **(env or {}),
    }
    gunicorn = Gunicorn(process_env, workdir / "gunicorn.log")
    worker = Worker(process_env, workdir / "worker.log")
    beat = Worker(process_env, workdir / "beat.log", command="beat")
    outcome = Outcome(changes=changes, outage=outage)
    recipients = _recipients_per_change()
    try:
        redis.start()
        smtp.start()
        hooks.start()
        gunicorn.start()
        worker.start()
        beat.start()
        down, half = threading.Event(), threading.Event()
        breaker = threading.Thread(target=_outage, args=(redis, outage, down, half))
        breaker.start()
        _send_changes(gunicorn, world, outcome, down, half)
        breaker.join()
        back = time.monotonic()
        deadline = back + settle_timeout
        while time.monotonic() < deadline and not _settled():
            time.sleep(1)
        outcome.settled = _settled()
        outcome.recovery_seconds = time.monotonic() - back
        time.sleep(3)  # a duplicate send would arrive now
        _count(outcome, smtp, hooks, recipients)
    finally:
        for part in (gunicorn, worker, beat):
            part.stop()
        redis.stop()
        hooks.stop()
        smtp.stop()
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=30.0, help="seconds Redis is down")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/samverkan-redis-outage"))
    parser.add_argument("--settle-timeout", type=float, default=600.0)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is created if missing).")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "on")
    os.environ.pop("REDIS_URL", None)  # this process only prepares and counts

    import django

    django.setup()
    from django.core.management import call_command

    from cases.demo import demo_data_present, load_demo_data

    _create_database(database_url)
    call_command("migrate", verbosity=0)
    if not demo_data_present():
        load_demo_data()
    started = time.monotonic()
    outcome = run(
        changes=args.changes,
        outage=args.outage,
        database_url=database_url,
        workdir=args.workdir,
        settle_timeout=args.settle_timeout,
    )
    print(f"Redis killed for {args.outage:g} s during {args.changes} API changes")
    for line in outcome.lines():
        print("  " + line)
    print(f"  whole run {time.monotonic() - started:.0f} s")


def _create_database(url: str) -> None:
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
