"""Real parts for the pipeline's integration tests: a redis-server of the test's own on a free
port, a Celery worker (and beat) as subprocesses on the test database, and an SMTP server."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from notifications.services import broker_pause_reset
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll until `condition()` is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A redis-server of this test only: stopping it disturbs nobody else."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), 0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def own_redis(redis_url: str, tmp_path: Path) -> Iterator[RedisServer]:
    need(shutil.which("redis-server") is not None, "needs the redis-server program")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@contextmanager
def _publishing_to(url: str) -> Iterator[None]:
    """Make this test process publish tasks to `url` instead of running them in-process."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}

    def reset_pools() -> None:
        # Connections and producers are pooled per broker URL, app-wide and in kombu's registry.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        kombu_pools.reset()
        broker_pause_reset()

    celery_app.conf.update(broker_url=url, task_always_eager=False)
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset_pools()


class Worker:
    """`celery -A config worker` (or beat) as a subprocess on the test's database and Redis."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        command: str = "worker",
        queues: str = "",
        loglevel: str = "info",
    ) -> None:
        """`queues`: the worker's -Q (comma-separated); every queue when empty."""
        self.env, self.log, self.command, self.queues = env, log, command, queues
        self.loglevel = loglevel
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = [CELERY, "-A", "config", self.command, f"--loglevel={self.loglevel}"]
        if self.command == "worker":
            args += ["--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle"]
            args += ["-n", f"{self.log.stem}@%h"]
            if self.queues:
                args += ["-Q", self.queues]
        else:
            args += ["--schedule", str(self.log.with_suffix(".schedule"))]
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ready = "ready." if self.command == "worker" else "beat: Starting"
        wait_for(lambda: ready in self.log.read_text()[offset:], 60, f"celery {self.command}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


@pytest.fixture
def smtp_server() -> Iterator[SimpleNamespace]:
    """A real SMTP server in this process; `.messages` holds what it received."""
    received: list[Message] = []
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:
            with lock:
                received.append(message_from_bytes(envelope.original_content))
            return "250 OK"

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield SimpleNamespace(port=controller.port, messages=received)
    controller.stop()


@pytest.fixture
def pipeline(postgres, transactional_demo, own_redis, smtp_server, tmp_path):
    """The test process publishes to its own Redis; `pipeline.worker`/`.beat` run on the test DB."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "on",
        "DATABASE_URL": f"postgres://{database['USER'] or 'postgres'}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        "REDIS_URL": own_redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "NOTIFICATIONS_SWEEP_INTERVAL": "1",
        "NOTIFICATIONS_SWEEP_GRACE": "1",
        "NOTIFICATIONS_SWEEP_RESEND": "5",
        "NOTIFICATIONS_EMAIL_BURST_WINDOW": "0",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
    }
    worker = Worker(env, tmp_path / "worker.log")
    beat = Worker(env, tmp_path / "beat.log", command="beat")
    with _publishing_to(own_redis.url):
        try:
            yield SimpleNamespace(
                worker=worker, beat=beat, redis=own_redis, smtp=smtp_server, demo=transactional_demo
            )
        finally:
            worker.stop()
            beat.stop()


@pytest.fixture
def holding_smtp() -> Iterator[SimpleNamespace]:
    """A real SMTP server that keeps the first email's DATA unanswered until `.release` is set:
    the sender is caught mid-send. Later emails are answered at once."""
    received: list[Message] = []
    arrived, release = threading.Event(), threading.Event()

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:
            received.append(message_from_bytes(envelope.original_content))
            if len(received) == 1:
                arrived.set()
                while not release.is_set():
                    await asyncio.sleep(0.05)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield SimpleNamespace(port=controller.port, messages=received, arrived=arrived, release=release)
    release.set()
    controller.stop()
