"""Reading an uploaded spreadsheet: what kind of file it really is, and its cells.

Nothing in an upload is ever evaluated: a workbook is opened read-only without computing
formulas (a formula cell reads as its text, "=…") and without following external links;
macros are never run. A file whose content is not what its name says is refused.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a workbook's parts together, unpacked
MAX_ROWS = 2000  # data rows in one import
MAX_COLUMNS = 40
CONTROL_CHARACTERS = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


class UnreadableFile(Exception):
    """The upload is not a CSV or XLSX file we can read; the message says why."""


def _is_workbook(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return False
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("The workbook is too large when unpacked."))
    return "[Content_Types].xml" in names


def _text(data: bytes) -> str:
    """The file as text: UTF-8 (with or without a byte order mark), else Windows-1252, which
    older Excel versions write "CSV (semicolon separated)" files in."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not CONTROL_CHARACTERS.intersection(text):
            return text
    raise UnreadableFile(_("The file is not a CSV text file."))


def _csv_rows(text: str) -> Iterator[list[Any]]:
    header = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count) if header else ";"
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield list(row)
    finally:
        workbook.close()


def _bounded(rows: Iterator[list[Any]]) -> list[list[Any]]:
    table: list[list[Any]] = []
    for row in rows:
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        table.append(row[:MAX_COLUMNS])
        if len(table) > MAX_ROWS + 1:
            raise UnreadableFile(
                _("The file has more than %(count)s rows; split it into smaller files.")
                % {"count": MAX_ROWS}
            )
    if not table:
        raise UnreadableFile(_("The file is empty."))
    return table


def read_table(name: str, data: bytes) -> list[list[Any]]:
    """The non-empty rows of the file (the first one its header), or UnreadableFile."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is larger than 5 MB."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        if not _is_workbook(data):
            raise UnreadableFile(_("The file is named .xlsx but is not an Excel workbook."))
        try:
            return _bounded(_xlsx_rows(data))
        except UnreadableFile:
            raise
        except Exception as error:  # openpyxl reports a damaged workbook in many ways
            raise UnreadableFile(_("The workbook could not be read.")) from error
    if extension == "csv":
        if data.startswith(b"PK\x03\x04"):
            raise UnreadableFile(_("The file is named .csv but is not a CSV text file."))
        try:
            return _bounded(_csv_rows(_text(data)))
        except csv.Error as error:
            raise UnreadableFile(_("The CSV file could not be read.")) from error
    raise UnreadableFile(_("Upload a CSV or XLSX file."))
