"""What the request-id and metrics middlewares cost a page, measured side by side in one run.

    DATABASE_URL=postgres://…/<a database with the demo data> PYTHONPATH=. \
    .venv/bin/python benchmarks/ops_middleware.py

Alternates rounds of 200 `GET /accounts/login/` with the full MIDDLEWARE and without the two
(config.request_id.RequestIdMiddleware, config.metrics.MetricsMiddleware); prints the medians
and their ratio.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

OURS = ("config.request_id.RequestIdMiddleware", "config.metrics.MetricsMiddleware")
ROUNDS, REQUESTS = 9, 200


def seconds_per_request() -> float:
    client = Client()
    started = time.perf_counter()
    for _ in range(REQUESTS):
        assert client.get("/accounts/login/").status_code == 200
    return (time.perf_counter() - started) / REQUESTS


def main() -> None:
    setup_test_environment()
    without = [name for name in settings.MIDDLEWARE if name not in OURS]
    with_ours, without_ours = [], []
    for _ in range(ROUNDS):
        with_ours.append(seconds_per_request())
        with override_settings(MIDDLEWARE=without):
            without_ours.append(seconds_per_request())
    a, b = statistics.median(with_ours), statistics.median(without_ours)
    print(f"with: {a * 1000:.2f} ms  without: {b * 1000:.2f} ms  ratio {a / b:.3f}")


if __name__ == "__main__":
    main()
