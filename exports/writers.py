"""Writing an export as CSV or XLSX without holding its rows in memory.

CSV is written for Swedish Excel, which is what most of the committee's users open it with:
UTF-8 with a byte order mark (without it Excel reads å, ä and ö as two characters each),
";" between cells (Excel in Swedish splits on ";" because "," is its decimal separator), and
numbers with the decimal separator of the user's language (a comma in Swedish, a point in
English), so a Swedish Excel reads them as numbers. Dates are ISO 8601 (2026-03-31), which
Excel reads as dates in both languages. The import reads all of this back, and also a point
or a comma in any number.

XLSX has typed cells: numbers are numeric cells, dates date cells; text is always a text cell,
even when it starts with "=" (never a formula).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .registry import DATE, DATETIME, INTEGER, NUMBER, Column

BOM = "\ufeff"
DELIMITER = ";"
# A text cell starting with one of these would be run as a formula by a spreadsheet opening
# the CSV; it is written with a leading apostrophe, which the import removes again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMAT = "0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class _Echo:
    """A file that hands back what is written to it: csv.writer then yields one line a row."""

    def write(self, value: str) -> str:
        return value


def _local(moment: datetime) -> datetime:
    """An aware moment as the naive local time a spreadsheet shows (Europe/Stockholm)."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def csv_text(value: Any, column: Column, decimal_separator: str) -> str:
    if value is None:
        return ""
    if column.kind in (NUMBER, INTEGER):
        return str(value).replace(".", decimal_separator)
    if column.kind == DATETIME and isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if column.kind == DATE and isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, decimal_separator: str
) -> Iterator[str]:
    """The CSV file, line by line: the BOM with the header, then one line per row."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM + writer.writerow([str(column.label) for column in columns])
    for row in rows:
        cells = zip(row, columns, strict=True)
        yield writer.writerow(
            [csv_text(value, column, decimal_separator) for value, column in cells]
        )


def _xlsx_cell(sheet: Any, value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.kind in (NUMBER, INTEGER):
        number = float(value) if isinstance(value, Decimal) else value
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = INTEGER_FORMAT if column.kind == INTEGER else NUMBER_FORMAT
        return cell
    if column.kind == DATETIME and isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if column.kind == DATE and isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def xlsx_file(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, title: str) -> IO[bytes]:
    """The workbook in a temporary file (deleted when closed), positioned at its start.

    openpyxl's write-only mode writes each row out as it is appended, so memory does not grow
    with the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(column.label) for column in columns])
    for row in rows:
        cells = zip(row, columns, strict=True)
        sheet.append([_xlsx_cell(sheet, value, column) for value, column in cells])
    # Handed to the response, which closes (and so deletes) it when sent.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(target)
    target.seek(0)
    return target
