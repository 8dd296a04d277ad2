"""Turning a spreadsheet's cells into measurement rows: the export's columns, read back.

Headers are recognised in Swedish and in English. A cell is read as the export wrote it (a
date cell or 2026-03-31; a number cell, 12,5 or 12.5) and as people type them; a cell that
starts with "=" is a formula and an error for its row, never evaluated.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Organisation
from cases.models import Case, Outcome

from .lists import MEASUREMENT_COLUMNS

REQUIRED = ("outcome_id", "measured_on", "value")
READ = ("id", "outcome_id", "measured_on", "value", "organisation", "organisation_number", "note")
ROW = "row"  # errors that belong to the whole row
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
SPACES = str.maketrans("", "", " \u00a0\u202f")


class MissingColumns(Exception):
    def __init__(self, labels: list[str]) -> None:
        super().__init__(", ".join(labels))
        self.labels = labels


def _header_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in ("sv", "en"):
        with translation.override(language):
            for column in MEASUREMENT_COLUMNS:
                names[str(column.label).strip().casefold()] = column.key
    return names


def column_positions(header: list[Any]) -> dict[str, int]:
    """Where each column the import reads is, by its header in either language."""
    names = _header_names()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = names.get(str(cell or "").strip().casefold())
        if key in READ and key not in positions:
            positions[key] = index
    missing = [key for key in REQUIRED if key not in positions]
    if "organisation" not in positions and "organisation_number" not in positions:
        missing.append("organisation")
    if missing:
        labels = {column.key: str(column.label) for column in MEASUREMENT_COLUMNS}
        raise MissingColumns([labels[key] for key in missing])
    return positions


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _literal(text: str) -> str:
    """Text the export protected with an apostrophe (a note starting with "-"), unprotected."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).translate(SPACES)
        if "," in text and "." in text:
            raise ValueError
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as error:
            raise ValueError from error
    if not number.is_finite():
        raise ValueError
    return number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = ISO_DATE.match(str(value).strip())
    if not match:
        raise ValueError
    return date.fromisoformat(match.group(1))


def _id(value: Any) -> int:
    number = _number(value)
    if number != number.to_integral_value() or not 0 < number < 2**63:
        raise ValueError
    return int(number)


class CaseContext:
    """What rows of one case are checked against: its outcomes and participants (few, read
    once), and the standing measurements the file's ids point at (one query)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.outcomes = {o.pk: o for o in Outcome.objects.filter(case=case)}
        organisations = Organisation.objects.filter(participations__case=case)
        self.by_number = {o.organisation_number: o for o in organisations if o.organisation_number}
        self.by_name = {o.name.casefold(): o for o in organisations}
        self.by_id = {o.pk: o for o in organisations}

    def organisation(self, name: str, number: str) -> Organisation | None:
        if number:
            return self.by_number.get(number.translate(SPACES))
        return self.by_name.get(name.strip().casefold())


def _read_cell(key: str, raw: Any, row: dict[str, Any], errors: dict[str, list[str]]) -> None:
    text = _cell_text(raw)
    row["shown"][key] = text
    if text.startswith("="):
        errors[key] = [_("A formula is not read; write the value itself.")]
        return
    text = _literal(text)
    try:
        if key in ("id", "outcome_id"):
            row[key] = _id(raw) if text else None
        elif key == "value":
            row[key] = str(_number(raw)) if text else None
        elif key == "measured_on":
            row[key] = _date(raw).isoformat() if text else None
        else:
            row[key] = text
    except ValueError:
        errors[key] = [INVALID[key]()]


INVALID = {
    "id": lambda: _("Not a measurement id: leave it empty for a new value."),
    "outcome_id": lambda: _("Not an outcome id; the export of the case's outcomes lists them."),
    "value": lambda: _("Write a number, such as 12,5."),
    "measured_on": lambda: _("Write the date as YYYY-MM-DD, such as 2026-03-31."),
}


def row_read(line: int, cells: list[Any], positions: dict[str, int]) -> dict[str, Any]:
    """One data row: the values of the columns the import reads, or errors by column."""
    row: dict[str, Any] = {"line": line, "shown": {}, "errors": {}}
    errors: dict[str, list[str]] = row["errors"]
    for key in READ:
        index = positions.get(key)
        _read_cell(
            key, cells[index] if index is not None and index < len(cells) else None, row, errors
        )
    others = [c for i, c in enumerate(cells) if i not in positions.values()]
    if any(_cell_text(c).startswith("=") for c in others):
        errors.setdefault(ROW, []).append(_("A formula is not read; write the value itself."))
    for key in REQUIRED:
        if key not in errors and row.get(key) in (None, ""):
            errors[key] = [_("This column needs a value.")]
    return row


def row_check(row: dict[str, Any], context: CaseContext) -> None:
    """Point the row at the case's outcome and organisation (ids kept in the row)."""
    errors = row["errors"]
    if row.get("outcome_id") is not None and row["outcome_id"] not in context.outcomes:
        errors.setdefault("outcome_id", []).append(_("The case has no outcome with this id."))
    organisation = context.organisation(
        row.get("organisation", ""), row.get("organisation_number", "")
    )
    if organisation is None:
        column = "organisation_number" if row.get("organisation_number") else "organisation"
        errors.setdefault(column, []).append(
            _("No organisation taking part in the case matches this.")
        )
    else:
        row["organisation_id"] = organisation.pk
