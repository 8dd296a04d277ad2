"""Several gunicorn workers, one set of numbers: with PROMETHEUS_MULTIPROC_DIR every worker writes
its request counts there, and whichever worker answers a scrape adds them all up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import need

from ..notifications.conftest import free_port, wait_for
from .test_backup_restore import _url

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = "multiprocess-scrape-token"
REQUESTS = 30


def _get(url: str, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # a new connection each time
        return response.status, response.read()


def _answers(base: str) -> bool:
    try:
        return _get(f"{base}/healthz")[0] == 200
    except OSError:
        return False


def _login_page_count(body: bytes) -> float:
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            labels = sample.labels
            if sample.name == "samverkan_http_requests_total" and labels.get("route") == "login":
                return sample.value
    return 0.0


def test_every_scrape_counts_the_requests_of_every_gunicorn_worker(
    postgres, demo, tmp_path: Path
) -> None:
    from django.db import connection

    gunicorn = Path(sys.executable).with_name("gunicorn")
    need(gunicorn.exists(), "needs gunicorn in the virtualenv")
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "on",
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "REDIS_URL": "",
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    command = [str(gunicorn), "-c", "config/gunicorn.py"]
    command += ["config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), 60, "gunicorn to answer")
        for _ in range(REQUESTS):
            assert _get(f"{base}/accounts/login/")[0] == 200
        counts = [
            _login_page_count(_get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")[1])
            for _ in range(6)
        ]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        log.close()
    # Both workers wrote their own counter files, and every scrape, whichever worker answered
    # it, reports all the requests.
    assert len(list(metrics_dir.glob("counter_*.db"))) >= 2
    assert counts == [REQUESTS] * 6
