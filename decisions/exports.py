"""The register of decisions as CSV and XLSX: the rows the register page shows the same person,
with its filters (`?year=`, `?case=`). The delegate's name is written only for readers who see
people's names on that case, as on the page."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from exports.registry import DATE, INTEGER, TEXT, Column, ExportList, export_register

from . import selectors
from .choices import DecidedBy
from .views import filters_from

COLUMNS = [
    Column("reference", _("Number")),
    Column("year", _("Year"), INTEGER),
    Column("decided_on", _("Date"), DATE),
    Column("case", _("Case")),
    Column("case_title", _("Case title")),
    Column("meeting", _("Meeting")),
    Column("text", _("Decision"), TEXT),
    Column("decided_by", _("Decided by")),
    Column("delegate", _("Delegate")),
    Column("revokes", _("Revokes")),
    Column("revoked_by", _("Revoked by")),
]

FIELDS = [
    "year",
    "number",
    "decided_on",
    "case__reference",
    "case__title",
    "meeting__title",
    "text",
    "decided_by",
    "delegate__first_name",
    "delegate__last_name",
    "delegate__username",
    "names_visible",
    "revokes__year",
    "revokes__number",
    "revoked_by__year",
    "revoked_by__number",
]


def _reference(year: int | None, number: int | None) -> str:
    return f"{year}:{number}" if year and number else ""


def decision_rows(request: HttpRequest) -> Iterator[tuple]:
    year, case = filters_from(request)
    decisions = selectors.decision_list_for_user(request.user, year=year, case=case)
    labels = {value: str(label) for value, label in DecidedBy.choices}
    for row in decisions.values_list(*FIELDS).iterator(chunk_size=2000):
        (year_, number, decided_on, reference, title, meeting, text, decided_by) = row[:8]
        first, last, username, names_visible = row[8:12]
        delegate = (f"{first} {last}".strip() or username) if username and names_visible else ""
        yield (
            _reference(year_, number),
            year_,
            decided_on,
            reference,
            title,
            meeting or "",
            text,
            labels.get(decided_by, decided_by),
            delegate,
            _reference(row[12], row[13]),
            _reference(row[14], row[15]),
        )


def register() -> None:
    export_register(
        ExportList(
            "decisions",
            _("Decisions"),
            COLUMNS,
            decision_rows,
            login_required=False,  # the register of public cases' decisions is public
            name=lambda request: "decisions",
        )
    )
