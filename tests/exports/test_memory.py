"""An export's memory does not grow with its rows: rows are read a chunk at a time and written
out as they come (CSV line by line, XLSX by openpyxl's write-only mode to a temporary file)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

import pytest
from django.test import RequestFactory
from django.utils import translation

from exports import lists
from exports.registry import export_get
from exports.writers import csv_lines, xlsx_file
from tests.exports.volume import add_measurements


def _peak(write: Callable[[], None]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _export(demo, extension: str) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", {"case": demo.youth.reference})
    request.user = demo.carl
    export = export_get("measurements")

    def write() -> None:
        rows = export.rows(request)
        if extension == "csv":
            for _line in csv_lines(export.columns, rows, decimal_separator=","):
                pass
        else:
            xlsx_file(export.columns, rows, title="m").close()

    return write


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_peak_memory_is_the_same_for_four_times_the_rows(
    demo, extension, monkeypatch
) -> None:
    chunk = 500  # smaller chunks than in production, so that a test has many of them
    monkeypatch.setattr(lists, "CHUNK_SIZE", chunk)
    with translation.override("sv"):
        add_measurements(demo, 4 * chunk)  # the peak is reached within the first chunks
        small = _peak(_export(demo, extension))
        add_measurements(demo, 12 * chunk)
        large = _peak(_export(demo, extension))
    # Four times the rows; rows held in memory would need about four times the peak.
    assert large < small * 1.25, (small, large)
