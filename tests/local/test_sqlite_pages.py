"""`make run` serves the product on SQLite without Redis: every page the personas reach from
their dashboards answers there too (PostgreSQL-only SQL would fail only on a newcomer's
machine, since every other test runs on the CI's database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_every_page_the_personas_reach_works_on_sqlite_without_redis(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(DEBUG="on", DATABASE_URL=f"sqlite:///{tmp_path / 'local.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "-m", "tests.local.crawl"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("pages "))
    summary, failures = lines[at], lines[at + 1 :]
    pages = int(summary.split()[1])
    assert pages > 300, summary  # the walk went through the product, not one page
    assert summary.endswith("failures 0"), "\n".join(failures) + result.stderr[-3000:]
