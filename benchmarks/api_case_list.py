"""Benchmark: GET /api/v1/cases/ (page of 50, as a committee member) against a bare Django view.

Run from the project root:  .venv/bin/python benchmarks/api_case_list.py

1. Builds a fresh database (SQLite in a temporary folder, or BENCH_DATABASE_URL), migrates,
   loads the demo data and adds cases until there are 80, then creates anna's API token.
2. Starts one gunicorn process (1 sync worker, DEBUG off) serving both the API and the bare view.
3. After a warm-up, alternates batches of sequential requests to each URL (so both see the same
   machine load), and prints requests per second for both and their ratio (API / bare).
   Target: >= 0.5.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1/cases/?page_size=50"
BARE = "/bench/bare-cases/"


def _environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "off",
        "SECRET_KEY": "benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SECURE_COOKIES": "off",
        "API_THROTTLE_USER": "100000000/hour",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
    }


SETUP = """
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from cases import services
from cases.models import Case, Theme
from agencies.services import api_token_create
call_command("migrate", verbosity=0)
call_command("load_demo_data", "--force", verbosity=0)
anna = get_user_model().objects.get(username="anna")
theme = Theme.objects.first()
for i in range(Case.objects.count(), 80):
    services.case_create(actor=anna, title=f"Benchmark {i}", summary="S", theme=theme,
                         is_national=True)
print(api_token_create(user=anna, name="benchmark")[1])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, token: str | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return len(json.loads(body)["results"])


def _batch(port: int, path: str, token: str | None, requests: int) -> float:
    """Seconds for `requests` sequential requests (one sync worker serves one at a time)."""
    started = time.perf_counter()
    for _ in range(requests):
        rows = _get(port, path, token)
        assert rows == 50, rows
    return time.perf_counter() - started


def _measure(port: int, token: str, batches: int, size: int) -> tuple[float, float, float]:
    """Interleave API and bare batches so both see the same machine load; return
    (API req/s, bare req/s, median of the per-pair ratios)."""
    spent = {"api": 0.0, "bare": 0.0}
    pair_ratios = []
    for index in range(batches):
        order = [("api", API, token), ("bare", BARE, None)]
        times = {}
        for name, path, credential in order if index % 2 == 0 else order[::-1]:
            times[name] = _batch(port, path, credential, size)
            spent[name] += times[name]
        pair_ratios.append(times["bare"] / times["api"])
    total = batches * size
    return total / spent["api"], total / spent["bare"], statistics.median(pair_ratios)


def _wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40, help="batches per URL")
    parser.add_argument("--size", type=int, default=10, help="requests per batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        env = _environment(url)
        python = sys.executable
        setup = subprocess.run(
            [python, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if setup.returncode:
            sys.exit(f"setting up the benchmark database failed:\n{setup.stderr}")
        token = setup.stdout.strip().splitlines()[-1]
        port = _free_port()
        gunicorn = Path(python).with_name("gunicorn")
        server = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_for(port, server)
            _batch(port, API, token, 30)  # warm-up: imports, caches, connections
            _batch(port, BARE, None, 30)
            api_rate, bare_rate, median_ratio = _measure(port, token, args.batches, args.size)
        finally:
            server.terminate()
            server.wait()
    print(f"database: {url.split(':')[0]}; {args.batches} interleaved batches of {args.size}")
    print(f"GET {API} (DRF, token auth, as anna): {api_rate:7.1f} req/s")
    print(f"GET {BARE} (.values() + JsonResponse): {bare_rate:7.1f} req/s")
    print(
        f"ratio API / bare: {api_rate / bare_rate:.2f} (median of batch pairs {median_ratio:.2f})"
    )
    print("target: >= 0.5")


if __name__ == "__main__":
    main()
