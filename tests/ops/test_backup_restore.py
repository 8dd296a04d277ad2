"""The deployment guide's backup and restore, done as written (docs/deployment.md): a database
with the demo data is dumped with `pg_dump -Fc`, dropped, restored with `pg_restore` into a new
database, and the app pointed at the restored one serves the same case page and history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import need

from .serve_case import case_view

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": db.get("USER") or "postgres",
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(*command: str) -> None:
    subprocess.run(command, env=_pg_env(), check=True, capture_output=True, timeout=300)


def _url(name: str) -> str:
    env = _pg_env()
    password = f":{env['PGPASSWORD']}" if env.get("PGPASSWORD") else ""
    return f"postgres://{env['PGUSER']}{password}@{env['PGHOST']}:{env['PGPORT']}/{name}"


def test_a_dump_restored_into_a_new_database_serves_the_same_case(
    postgres, demo, tmp_path: Path
) -> None:
    need(shutil.which("pg_dump") is not None, "needs pg_dump and pg_restore")
    suffix = uuid.uuid4().hex[:8]
    live, restored = f"sv_backup_live_{suffix}", f"sv_backup_restored_{suffix}"
    test_db = connection.settings_dict["NAME"]
    try:
        # The "production" database: the demo data, in a database of its own that can be dropped
        # (the test's own database holds the same committed demo data).
        seed = tmp_path / "seed.dump"
        _run("pg_dump", "-Fc", "-f", str(seed), test_db)
        _run("createdb", live)
        _run("pg_restore", "--no-owner", "-d", live, str(seed))

        # The guide's procedure: dump, lose the database, restore into a new one.
        backup = tmp_path / "samverkan.dump"
        _run("pg_dump", "-Fc", "-f", str(backup), live)
        _run("dropdb", live)
        _run("createdb", restored)
        _run("pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(backup))

        answer = subprocess.run(
            [sys.executable, "-m", "tests.ops.serve_case", demo.youth.reference],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": _url(restored),
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
            },
            check=True,
            capture_output=True,
            timeout=120,
        )
        served = json.loads(answer.stdout)
    finally:
        _run("dropdb", "--if-exists", live)
        _run("dropdb", "--if-exists", restored)

    original = case_view(demo.youth.reference)
    assert served["status"] == 200 and served["history_status"] == 200
    assert served["title_on_page"] and served["heading"] == original["heading"]
    assert demo.youth.title in served["heading"]
    assert len(served["history"]["results"]) > 0
    assert served["history"] == original["history"]
