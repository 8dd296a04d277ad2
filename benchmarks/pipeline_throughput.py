"""Does the notification pipeline keep up with the web tier? (docs/benchmarks.md, "Pipeline").

In one run, on one machine, with a private redis-server, PostgreSQL, a real SMTP server
(aiosmtpd) and a local webhook receiver, both in this process:

1. Web capacity: gunicorn (2 sync workers, DEBUG off) takes progress updates from petra through
   the API (`POST /api/v1/actions/{id}/updates/`, bearer token) from CLIENTS threads for
   WEB_SECONDS, no Celery worker running: accepted (201) changes per second. Each change has four
   inbox recipients, four emails at once and one webhook.
2. Pipeline capacity: one worker (`-Q fanout,email,webhooks --concurrency 2`) starts on that
   backlog: events per second from its first fan-out until every event is fanned out, every
   email is at the SMTP server and every webhook delivered. Printed: pipeline / web (goal >= 1).
3. Keeping up: with the worker and beat running (the sweep every 10 s, default grace), changes
   are offered at 80 % of the measured web capacity for LOAD_SECONDS (open loop); printed:
   commit -> inbox p50/p95 (the event's time to its inbox rows' time; goal p95 <= 2 s) and how
   many events the sweeper queued again meanwhile (goal 0).

The worker takes its queues in priority order (CELERY_QUEUE_ORDER_STRATEGY, default
"priority": a waiting fan-out before the next email batch); set it to "round_robin" to compare.
The load average is printed before and after, since the machine is shared.

Run (its own PostgreSQL database, created if missing and reused; Redis is its own):
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_pipeline_bench \\
    .venv/bin/python benchmarks/pipeline_throughput.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sv_pipeline_bench"
)
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WEB_SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "20"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LOAD_SHARE = 0.8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


def start_redis(workdir: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            return False

    wait_until(answers, 10, "redis-server")
    return server, f"redis://127.0.0.1:{port}/0"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class WebhookReceiver(BaseHTTPRequestHandler):
    received = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with WebhookReceiver.lock:
            WebhookReceiver.received += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class Mailbox:
    def __init__(self) -> None:
        self.count, self.lock = 0, threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
        return "250 OK"


def setup_world(webhook_url: str) -> tuple[str, int]:
    """Demo data, petra's API token, email at once for the action's four recipients, and one
    webhook endpoint (Södertälje, the case's lead). Returns the token and the action's id."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from agencies.models import Organisation
    from agencies.services import api_token_create
    from cases.demo import demo_data_present, load_demo_data
    from cases.models import Action
    from config.celery import app as celery_app
    from notifications import services
    from notifications.choices import EmailMode, EventKind
    from notifications.webhooks.models import WebhookEndpoint
    from notifications.webhooks.services import webhook_endpoint_create

    call_command("migrate", verbosity=0)
    celery_app.conf.task_always_eager = True  # the set-up's own events, in-process
    if not demo_data_present():
        load_demo_data()
    users = {u.username: u for u in get_user_model().objects.all()}
    for name in ("carl", "sara", "olle", "rita"):
        services.preferences_set(
            user=users[name], email_modes={EventKind.ACTION_UPDATE_POSTED: EmailMode.IMMEDIATELY}
        )
    sodertalje = Organisation.objects.get(municipality_code="0181")
    WebhookEndpoint.objects.filter(description="benchmark").delete()
    webhook_endpoint_create(
        actor=users["sara"], organisation=sodertalje, url=webhook_url, description="benchmark"
    )
    action = Action.objects.get(
        title__startswith="Gemensam", case__title__startswith="Unga i kriminalitet"
    )
    return api_token_create(user=users["petra"], name="pipeline benchmark")[1], action.pk


class Changes:
    """POSTs progress updates to the API; counts what was accepted."""

    def __init__(self, port: int, token: str, action_id: int) -> None:
        self.url = f"http://127.0.0.1:{port}/api/v1/actions/{action_id}/updates/"
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.accepted = self.refused = 0
        self.lock = threading.Lock()
        self.counter = 0

    def post(self, label: str) -> None:
        with self.lock:
            self.counter += 1
            body = json.dumps({"text": f"{label} {self.counter}"}).encode()
        request = urllib.request.Request(self.url, body, self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                ok = response.status == 201
        except (urllib.error.URLError, OSError):
            ok = False
        with self.lock:
            self.accepted += ok
            self.refused += not ok

    def closed_loop(self, seconds: float, label: str) -> float:
        """CLIENTS threads, each posting the next change as soon as the last one answered."""
        before = self.accepted
        stop = time.monotonic() + seconds

        def client() -> None:
            while time.monotonic() < stop:
                self.post(label)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return (self.accepted - before) / (time.monotonic() - started)

    def open_loop(self, rate: float, seconds: float, label: str) -> None:
        """Changes offered at `rate` per second whatever the answers' speed (a slot each)."""
        slots = int(rate * seconds)
        started = time.monotonic()
        next_slot = iter(range(slots))
        lock = threading.Lock()

        def client() -> None:
            while True:
                with lock:
                    slot = next(next_slot, None)
                if slot is None:
                    return
                time.sleep(max(0.0, started + slot / rate - time.monotonic()))
                self.post(label)

        threads = [threading.Thread(target=client) for _ in range(4 * CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def child_env(redis_url: str, smtp_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis_url,
        "DEBUG": "off",
        "SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_COOKIES": "off",
        "API_THROTTLE_USER": "100000000/hour",
        "API_THROTTLE_WRITES": "100000000/hour",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "NOTIFICATIONS_EMAIL_BURST_WINDOW": "0",  # every email at once: the most work
        "NOTIFICATIONS_SWEEP_INTERVAL": "10",
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "on",
    }


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def all_done(events) -> bool:
    """Every event fanned out, every email sent, every webhook delivered."""
    from notifications.models import Delivery
    from notifications.webhooks.models import WebhookDelivery

    if events.filter(dispatched_at__isnull=True).exists():
        return False
    emails = Delivery.objects.filter(event__in=events, channel="email")
    hooks = WebhookDelivery.objects.filter(event__in=events)
    return (
        not emails.exclude(state="sent").exists() and not hooks.exclude(state="delivered").exists()
    )


def finished_at(events):
    """When the last of the events' fan-outs, emails and webhooks was done."""
    from django.db.models import Max

    from notifications.models import Delivery
    from notifications.webhooks.models import WebhookDelivery

    emails = Delivery.objects.filter(event__in=events, channel="email")
    hooks = WebhookDelivery.objects.filter(event__in=events)
    return max(
        events.aggregate(last=Max("dispatched_at"))["last"],
        emails.aggregate(last=Max("sent_at"))["last"] or events[0].dispatched_at,
        hooks.aggregate(last=Max("delivered_at"))["last"] or events[0].dispatched_at,
    )


def latencies(events) -> list[float]:
    """Per event: its inbox rows' time (written by the fan-out) minus the event's own."""
    from django.db.models import Min

    rows = events.annotate(inbox=Min("notifications__created_at")).values_list(
        "created_at", "inbox"
    )
    return sorted((inbox - created).total_seconds() for created, inbox in rows if inbox)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))]


def main() -> None:
    if not shutil.which("redis-server"):
        sys.exit("needs the redis-server program")
    ensure_database(DATABASE_URL)
    workdir = tempfile.mkdtemp(prefix="pipeline-bench-")
    redis_server, redis_url = start_redis(workdir)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="on",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=redis_url,
    )
    import django

    django.setup()
    import logging

    from aiosmtpd.controller import Controller

    from notifications.models import Event

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    hooks = ThreadingHTTPServer(("127.0.0.1", free_port()), WebhookReceiver)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    token, action_id = setup_world(f"http://127.0.0.1:{hooks.server_port}/hook")

    env = child_env(redis_url, smtp.port)
    logs = Path(workdir)
    bin_dir = Path(sys.executable).parent
    web_port = free_port()
    web = spawn(
        [str(bin_dir / "gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{web_port}"],
        env,
        logs / "web.log",
    )
    worker = beat = None
    try:
        wait_until(lambda: socket.socket().connect_ex(("127.0.0.1", web_port)) == 0, 60, "web")
        changes = Changes(web_port, token, action_id)
        first = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        changes.closed_loop(3, "warm-up")
        strategy = os.environ.get("CELERY_QUEUE_ORDER_STRATEGY", "priority")
        print(f"load average {os.getloadavg()[0]:.1f}; worker queue order: {strategy}")

        # 1. The web tier alone; the events wait in Redis.
        web_rate = changes.closed_loop(WEB_SECONDS, "capacity")
        backlog = Event.objects.filter(pk__gt=first)
        print(
            f"web tier: {web_rate:.1f} accepted changes/s ({CLIENTS} clients, {WEB_SECONDS:.0f} s, "
            f"{changes.refused} refused); backlog {backlog.count()} events"
        )

        # 2. One worker on the backlog.
        emails_before, hooks_before = mailbox.count, WebhookReceiver.received
        worker_args = [str(bin_dir / "celery"), "-A", "config", "worker", "-Q"]
        worker_args += ["fanout,email,webhooks", "--concurrency=2", "--loglevel=warning"]
        worker_args += ["--without-gossip", "--without-mingle"]
        worker = spawn(worker_args, env, logs / "worker.log")
        wait_until(lambda: all_done(backlog), 900, "the backlog to drain")
        first_fan_out = min(backlog.values_list("dispatched_at", flat=True))
        span = (finished_at(backlog) - first_fan_out).total_seconds()
        pipeline_rate = backlog.count() / span
        print(
            f"pipeline, one worker (concurrency 2): {backlog.count()} events, "
            f"{mailbox.count - emails_before} emails, {WebhookReceiver.received - hooks_before} "
            f"webhooks in {span:.1f} s = {pipeline_rate:.1f} events/s"
        )
        print(f"ratio pipeline / web: {pipeline_rate / web_rate:.2f} (goal >= 1.0)")
        fanned = (
            max(backlog.values_list("dispatched_at", flat=True)) - first_fan_out
        ).total_seconds()
        print(
            f"of which the inboxes (fan-out) alone: {backlog.count() / max(fanned, 0.001):.1f} "
            f"events/s, ratio {backlog.count() / max(fanned, 0.001) / web_rate:.2f}"
        )

        # 3. 80 % of the web capacity, worker and beat running.
        beat_args = [str(bin_dir / "celery"), "-A", "config", "beat", "--loglevel=warning"]
        beat = spawn(
            [*beat_args, "--schedule", str(logs / "beat-schedule")],
            env,
            logs / "beat.log",
        )
        time.sleep(3)
        worker_log = logs / "worker.log"
        log_offset = worker_log.stat().st_size
        rate = LOAD_SHARE * web_rate
        mark = Event.objects.order_by("-pk").values_list("pk", flat=True).first()
        emails_before, hooks_before = mailbox.count, WebhookReceiver.received
        started = time.monotonic()
        changes.open_loop(rate, LOAD_SECONDS, "load")
        offered_for = time.monotonic() - started
        load = Event.objects.filter(pk__gt=mark)
        wait_until(lambda: all_done(load), 600, "the load to drain")
        requeued = sum(
            int(n)
            for n in re.findall(
                r"The sweeper queued (\d+) events again", worker_log.read_text()[log_offset:]
            )
        )
        delays = latencies(load)
        print(
            f"load: {load.count()} changes offered at {rate:.1f}/s for {offered_for:.0f} s "
            f"({changes.refused} refused in all); commit -> inbox p50 "
            f"{statistics.median(delays) * 1000:.0f} ms, p95 {percentile(delays, 0.95) * 1000:.0f} "
            f"ms, max {delays[-1] * 1000:.0f} ms (goal p95 <= 2000 ms)"
        )
        print(f"sweeper re-queues during the load: {requeued} (goal 0)")
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        for process in (beat, worker, web):
            if process is not None:
                stop(process)
        smtp.stop()
        hooks.shutdown()
        redis_server.terminate()
        redis_server.wait(10)
        print(f"logs in {workdir}")


if __name__ == "__main__":
    main()
