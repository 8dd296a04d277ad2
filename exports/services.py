"""Importing measurements from a file: read and check it (nothing written), then, when its
uploader confirms, write every row or none.

Each row goes through the measurement services that a value typed into the form goes through
(cases.services.measurements): the same sanity rules, one value per outcome, organisation and
date, review for a partner's value, history and events. The preview runs them too, inside a
transaction that is rolled back, so it shows exactly the errors that confirming would meet.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.choices import ReviewState
from cases.models import Case, Measurement
from cases.services.common import require
from cases.services.measurements import measurement_correct, measurement_report

from .models import MeasurementImport
from .parsing import ROW, CaseContext, MissingColumns, column_positions, row_check, row_read
from .reading import UnreadableFile, read_table

NEW, CORRECTION, UNCHANGED, INVALID = "new", "correction", "unchanged", "invalid"
PREVIEW_REASON = "preview"  # stands in for the reason the uploader gives when confirming
SERVICE_FIELDS = {
    "value": "value",
    "measured_on": "measured_on",
    "note": "note",
    "organisation": "organisation",
    "outcome": "outcome_id",
}


def REFUSED_MESSAGE() -> str:
    return _("Nothing was written: %(count)s rows have errors. Correct them and upload again.")


class ImportRefused(Exception):
    """Some rows have errors: the transaction is undone, nothing was written."""


def can_import_measurements(user: AbstractBaseUser, case: Case) -> bool:
    """Whoever may report a value in the case may import values into it."""
    return (
        user.is_authenticated
        and access.is_case_open(case)
        and (
            bool(access.working_organisation_ids(user, case)) or access.can_manage_case(user, case)
        )
    )


def _errors_by_column(error: ValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {ROW: list(error.messages)}
    errors: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        errors.setdefault(SERVICE_FIELDS.get(field, ROW), []).extend(messages)
    return errors


def _classify(rows: list[dict[str, Any]], case: Case) -> dict[int, Measurement]:
    """Mark each row new, a correction, unchanged or invalid; the measurements corrected."""
    ids = [row["id"] for row in rows if row.get("id")]
    standing = {
        m.pk: m
        for m in Measurement.objects.filter(pk__in=ids, outcome__case=case).exclude(
            review_state=ReviewState.WITHDRAWN
        )
    }
    for row in rows:
        errors = row["errors"]
        measurement = standing.get(row.get("id") or 0)
        if row.get("id") and measurement is None:
            errors.setdefault("id", []).append(
                _("The case has no standing measurement with this id.")
            )
        elif measurement is not None:
            if row.get("outcome_id") != measurement.outcome_id:
                errors.setdefault("outcome_id", []).append(
                    _("A value cannot move to another outcome.")
                )
            if row.get("organisation_id") not in (None, measurement.organisation_id):
                errors.setdefault("organisation", []).append(
                    _("A value cannot move to another organisation.")
                )
        row["action"] = INVALID if errors else _action(row, measurement)
    return standing


def _changes(row: dict[str, Any], measurement: Measurement) -> dict[str, Any]:
    new = {
        "value": Decimal(row["value"]),
        "measured_on": date.fromisoformat(row["measured_on"]),
        "note": row.get("note", ""),
    }
    return {name: value for name, value in new.items() if getattr(measurement, name) != value}


def _action(row: dict[str, Any], measurement: Measurement | None) -> str:
    if measurement is None:
        return NEW
    return CORRECTION if _changes(row, measurement) else UNCHANGED


def _write(
    actor: AbstractBaseUser,
    context: CaseContext,
    row: dict[str, Any],
    standing: dict[int, Measurement],
    reason: str,
) -> None:
    if row["action"] == NEW:
        measurement_report(
            actor=actor,
            outcome=context.outcomes[row["outcome_id"]],
            organisation=context.by_id[row["organisation_id"]],
            value=Decimal(row["value"]),
            measured_on=date.fromisoformat(row["measured_on"]),
            note=row.get("note", ""),
        )
    elif row["action"] == CORRECTION:
        measurement = standing[row["id"]]
        measurement_correct(
            actor=actor, measurement=measurement, data=_changes(row, measurement), reason=reason
        )


def _apply(actor: AbstractBaseUser, case: Case, rows: list[dict[str, Any]], reason: str) -> bool:
    """Write the rows, each in a savepoint, noting each failing row's errors; True if none
    failed. The caller's transaction decides whether any of it stays."""
    context = CaseContext(case)
    for row in rows:
        row["errors"] = {k: v for k, v in row.get("read_errors", {}).items()}
        if not row["errors"]:
            row_check(row, context)
    standing = _classify(rows, case)
    for row in rows:
        if row["action"] == INVALID:
            continue
        try:
            with transaction.atomic():
                _write(actor, context, row, standing, reason)
        except ValidationError as error:
            row["errors"], row["action"] = _errors_by_column(error), INVALID
        except PermissionDenied as error:
            row["errors"] = {ROW: [str(error) or _("You may not do this.")]}
            row["action"] = INVALID
    return not any(row["action"] == INVALID for row in rows)


def _preview(actor: AbstractBaseUser, case: Case, rows: list[dict[str, Any]]) -> None:
    """Run the rows through the services and roll everything back: the errors stay in `rows`."""
    with transaction.atomic():
        _apply(actor, case, rows, PREVIEW_REASON)
        transaction.set_rollback(True)


def _read_rows(file_name: str, data: bytes) -> list[dict[str, Any]]:
    try:
        table = read_table(file_name, data)
        positions = column_positions(table[0])
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from error
    except MissingColumns as error:
        message = _("The file lacks these columns: %(columns)s.") % {"columns": str(error)}
        raise ValidationError({"file": message}) from error
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        row = row_read(line, cells, positions)
        row["read_errors"] = row.pop("errors")
        rows.append(row)
    if not rows:
        raise ValidationError({"file": _("The file has a header but no rows.")})
    return rows


def measurement_import_prepare(
    *, actor: AbstractBaseUser, case: Case, file_name: str, data: bytes
) -> MeasurementImport:
    """Read the file and check every row as confirming would, writing none of them; keep the
    rows and what each would do, for the preview and the confirmation."""
    require(
        can_import_measurements(actor, case),
        _("You may import measurements only into a case your organisation takes part in."),
    )
    rows = _read_rows(file_name, data)
    _preview(actor, case, rows)
    batch = MeasurementImport(case=case, created_by=actor, file_name=file_name[:200], rows=rows)
    batch.full_clean()
    batch.save()
    return batch


def measurement_import_confirm(
    *, actor: AbstractBaseUser, measurement_import: MeasurementImport, reason: str = ""
) -> MeasurementImport:
    """Write every row of the import in one transaction, or none when any row fails (the rows'
    errors are then kept for the preview)."""
    try:
        with transaction.atomic():
            batch = (
                MeasurementImport.objects.select_for_update()
                .select_related("case")
                .get(pk=measurement_import.pk)
            )
            require(batch.created_by_id == actor.pk)
            if batch.confirmed_at is not None:
                raise ValidationError(_("This file has already been imported."))
            rows = batch.rows
            reason = (reason or "").strip()
            if not reason and any(row.get("action") == CORRECTION for row in rows):
                raise ValidationError({"reason": _("Say why the values are corrected.")})
            if not _apply(actor, batch.case, rows, reason):
                raise ImportRefused(rows)
            batch.rows, batch.reason, batch.confirmed_at = rows, reason, timezone.now()
            batch.full_clean()
            batch.save()
            return batch
    except ImportRefused as refused:
        rows = refused.args[0]
        MeasurementImport.objects.filter(pk=measurement_import.pk).update(rows=rows)
        measurement_import.rows = rows
        failed = sum(1 for row in rows if row["action"] == INVALID)
        raise ValidationError(REFUSED_MESSAGE() % {"count": failed}) from None


def import_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = {NEW: 0, CORRECTION: 0, UNCHANGED: 0, INVALID: 0}
    for row in rows:
        counts[row.get("action", INVALID)] += 1
    return counts
