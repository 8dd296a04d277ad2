"""gunicorn settings for Prometheus' multiprocess mode (`gunicorn -c config/gunicorn.py ...`).

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its request counters to files there and a
scrape adds them up (config/metrics.py). A worker that exits leaves its counters (they still
count) but its live gauges must go: prometheus_client's `mark_process_dead` does that.
"""

from __future__ import annotations

import os
from typing import Any


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
