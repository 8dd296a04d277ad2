"""Scale benchmark: the same requests on the demo data and on a national-scale dataset.

1. Builds two PostgreSQL databases: the demo data (migrate, reference data, demo data) and the
   same plus a national-scale dataset added with set-based SQL (benchmarks/scale_data.py):
   5,000 more cases, 100k actions, 300k updates, 1M measurements, 5,000 users, ~10M inbox rows.
   `--reuse` keeps databases that exist (the build takes minutes; the measuring does not).
2. In this process, with the Django test client, requests the same pages and API endpoints on
   both databases in interleaved batches (the default connection is switched between them), as
   anna (committee) and as petra and sara (partners), and prints the median time per request on
   each, the ratio big / small and the query count of each request on each database.

Run (PostgreSQL on 127.0.0.1; no Redis needed):
    .venv/bin/python benchmarks/scale.py [--reuse] [--batches 7] [--size 3]
Databases: SCALE_SMALL_URL (default postgres://postgres@127.0.0.1:5432/sv_scale) and
SCALE_BIG_URL (default …/sv_scale_big); both are dropped and built again without --reuse.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SMALL_URL = os.environ.get("SCALE_SMALL_URL", "postgres://postgres@127.0.0.1:5432/sv_scale")
BIG_URL = os.environ.get("SCALE_BIG_URL", "postgres://postgres@127.0.0.1:5432/sv_scale_big")


def _psql(url: str, sql: str) -> str:
    """Run one statement against the server's `postgres` database (create and drop)."""
    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    result = subprocess.run(
        ["psql", admin, "-Atc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _exists(url: str) -> bool:
    name = urlparse(url).path.lstrip("/")
    return _psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def _manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "on", "REDIS_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build_database(url: str, *, big: bool) -> None:
    """Drop and create the database, migrate, load the reference and demo data; for the big
    one, add the national-scale dataset (printing each step's time)."""
    name = urlparse(url).path.lstrip("/")
    _psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(url, f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    _manage(url, "migrate", "-v0")
    _manage(url, "load_reference_data")
    _manage(url, "load_demo_data")
    print(f"{name}: migrate + reference + demo data {time.perf_counter() - started:.0f} s")
    if big:
        import psycopg

        from benchmarks import scale_data

        with psycopg.connect(url, autocommit=True) as connection:
            scale_data.build(connection.cursor())
    print(f"{name}: built in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep databases that exist")
    parser.add_argument("--build-only", action="store_true", help="build, do not measure")
    parser.add_argument("--batches", type=int, default=7, help="interleaved batches per request")
    parser.add_argument("--size", type=int, default=3, help="requests per batch")
    args = parser.parse_args()
    for url, big in ((SMALL_URL, False), (BIG_URL, True)):
        if not (args.reuse and _exists(url)):
            build_database(url, big=big)
    if args.build_only:
        return
    from benchmarks import scale_measure

    scale_measure.run(SMALL_URL, BIG_URL, batches=args.batches, size=args.size)


if __name__ == "__main__":
    main()
