"""Peak Python memory of a 100,000-row export, CSV and XLSX, measured with tracemalloc.

    .venv/bin/python benchmarks/export_memory.py            # --rows 100000 by default

The rows have the columns and value types of the measurements export (ids, a case reference,
an outcome, a date, a decimal value, organisation, a note unique to each row, a review state)
and go through the same writers as a download (exports/writers.py). They come from a
generator, as rows come from the database a chunk at a time (`.values_list().iterator(
chunk_size=2000)`; the peak of that part is bounded by the chunk and pinned by
tests/exports/test_memory.py). The script prints the peak for a tenth of the rows and for all
of them: the two are about equal when nothing grows with the number of rows.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django

django.setup()

from django.utils import translation  # noqa: E402

from exports.lists import MEASUREMENT_COLUMNS  # noqa: E402
from exports.writers import csv_lines, xlsx_file  # noqa: E402


def rows(count: int) -> Iterator[tuple]:
    start = date(2020, 1, 1)
    for n in range(count):
        yield (
            n + 1,
            "SAM-2026-0042",
            7 + n % 5,
            "Färre unga misstänkta för brott",
            "personer",
            start + timedelta(days=n % 2000),
            Decimal(40 + n % 60) + Decimal("0.25"),
            "Polismyndigheten",
            "202100-0076",
            f"Rad {n} från polisens ärendesystem",
            "Godkänt",
        )


def peak(kind: str, count: int) -> tuple[int, float]:
    gc.collect()
    began = time.perf_counter()
    tracemalloc.start()
    if kind == "csv":
        size = sum(
            len(line) for line in csv_lines(MEASUREMENT_COLUMNS, rows(count), decimal_separator=",")
        )
    else:
        target = xlsx_file(MEASUREMENT_COLUMNS, rows(count), title="Mätvärden")
        size = target.seek(0, 2)
        target.close()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"  {kind:4} {count:>7} rows: peak {top / 1e6:6.2f} MB, file {size / 1e6:6.1f} MB, "
        f"{time.perf_counter() - began:5.1f} s (traced)"
    )
    return top, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    count = parser.parse_args().rows
    print(f"peak traced Python memory while writing the export ({count} rows)")
    with translation.override("sv"):
        for kind in ("csv", "xlsx"):
            small, _ = peak(kind, count // 10)
            large, _ = peak(kind, count)
            print(f"  {kind:4} ratio {large / small:.2f} for ten times the rows")


if __name__ == "__main__":
    main()
