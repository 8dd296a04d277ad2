"""The open datasets: what each one holds, column by column, and how a row is read.

One description per dataset feeds everything published about it: the CSV header, the JSON
rows, the JSON Schema, the DCAT-AP-SE catalogue and the page at /data/. No column names a
person: coordinators, contact persons, assignees, reporters and reviewers stay out, and so do
free texts written outside the case's own description (notes, reasons, review comments).
Codes (statuses, roles, kinds) are published as their stable values, not as translated labels,
so a row reads the same in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from cases.choices import (
    ActionStatus,
    CaseStatus,
    Direction,
    ParticipationRole,
    Priority,
)

from . import selectors

# JSON Schema types of a column; the CSV writes every value as text.
STRING = {"type": "string"}
TEXT = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}
REQUIRED_DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer", "minimum": 1}
BOOLEAN = {"type": "boolean"}
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
STRING_LIST = {"type": "array", "items": {"type": "string"}}


def _codes(choices: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [value for value, _label in choices.choices]}


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its name in CSV and JSON, its JSON type and what it means."""

    name: str
    schema: dict[str, Any]
    description: Promise
    # Text written by people: in the CSV a leading =, +, - or @ is quoted so that a
    # spreadsheet never runs it as a formula.
    free_text: bool = False


@dataclass(frozen=True)
class Dataset:
    """One open dataset of public cases and how its rows are read, a page at a time."""

    slug: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    page: Callable[[Any, int], QuerySet]
    row: Callable[[Any, Callable[[str], str]], dict[str, Any]]
    # The key a page starts after, and the key of a row (see selectors: (id) for cases,
    # (case id, id) for what belongs to a case).
    start: tuple[int, ...] = (0, 0)

    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def key(self, obj: Model) -> tuple[int, ...]:
        if len(self.start) == 1:
            return (int(obj.pk),)
        case_id = obj.outcome.case_id if hasattr(obj, "outcome") else obj.case_id
        return (int(case_id), int(obj.pk))


def _day(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _amount(value: Any) -> str:
    return f"{value:.2f}"


def _organisation(org: Organisation) -> dict[str, Any]:
    return {
        "organisation": org.name,
        "organisation_number": org.organisation_number or None,
        "organisation_kind": org.kind,
        "municipality_code": org.municipality_code or None,
        "county_code": org.region_code or None,
    }


def _case_row(case: Any, absolute: Callable[[str], str]) -> dict[str, Any]:
    areas = list(case.scope_areas.all())
    return {
        "reference": case.reference,
        "title": case.title,
        "summary": case.summary,
        "problem_description": case.problem_description,
        "theme": case.theme.slug,
        "theme_name": case.theme.name,
        "status": case.status,
        "priority": case.priority,
        "national": case.is_national,
        "scope": [area.name for area in areas],
        "scope_codes": [area.municipality_code or area.region_code for area in areas],
        "start_date": _day(case.start_date),
        "target_date": _day(case.target_date),
        "created": _moment(case.created_at),
        "modified": _moment(case.updated_at),
        "url": absolute(reverse("case_detail", kwargs={"reference": case.reference})),
    }


def _participation_row(participation: Any, absolute: Callable[[str], str]) -> dict[str, Any]:
    return {
        "id": participation.pk,
        "case": participation.case.reference,
        **_organisation(participation.organisation),
        "role": participation.role,
        "mandate": participation.mandate,
        "joined": _day(participation.responded_at),
    }


def _action_row(action: Any, absolute: Callable[[str], str]) -> dict[str, Any]:
    return {
        "id": action.pk,
        "case": action.case.reference,
        "title": action.title,
        "description": action.description,
        "status": action.status,
        "lead_organisation": action.lead_organisation.name,
        "lead_organisation_number": action.lead_organisation.organisation_number or None,
        "contributing_organisations": [org.name for org in action.contributors.all()],
        "start_date": _day(action.start_date),
        "due_date": _day(action.due_date),
        "completed": _day(action.completed_at),
    }


def _measurement_row(measurement: Any, absolute: Callable[[str], str]) -> dict[str, Any]:
    outcome = measurement.outcome
    return {
        "id": measurement.pk,
        "case": outcome.case.reference,
        "outcome_id": outcome.pk,
        "outcome": outcome.title,
        "indicator": outcome.indicator,
        "unit": outcome.unit,
        "direction": outcome.direction,
        "baseline_value": _amount(outcome.baseline_value),
        "baseline_date": _day(outcome.baseline_date),
        "target_value": _amount(outcome.target_value),
        "target_date": _day(outcome.target_date),
        "data_source": outcome.data_source,
        "value": _amount(measurement.value),
        "measured_on": _day(measurement.measured_on),
        "reporting_organisation": measurement.organisation.name,
        "reporting_organisation_number": measurement.organisation.organisation_number or None,
    }


CASE_REFERENCE = Column("case", STRING, _("The case's reference, e.g. SAM-2026-0042."))
ORGANISATION_COLUMNS = (
    Column("organisation", STRING, _("The organisation's name.")),
    Column("organisation_number", NULLABLE_STRING, _("Its organisationsnummer, NNNNNN-NNNN.")),
    Column(
        "organisation_kind",
        {"type": "string"},
        _("state_agency, municipality, region, civil_society or other."),
    ),
    Column("municipality_code", NULLABLE_STRING, _("Kommunkod (four digits), municipalities.")),
    Column("county_code", NULLABLE_STRING, _("Länskod (two digits), regions and municipalities.")),
)

CASES = Dataset(
    slug="cases",
    title=_("Public cases"),
    description=_(
        "The societal challenges the committee has made public: reference, title, summary, "
        "problem, theme, status, priority, geographic scope and dates."
    ),
    columns=(
        Column("reference", STRING, _("The case's reference, e.g. SAM-2026-0042.")),
        Column("title", TEXT, _("Title."), free_text=True),
        Column("summary", TEXT, _("Summary."), free_text=True),
        Column("problem_description", TEXT, _("Problem description."), free_text=True),
        Column("theme", STRING, _("The theme's identifier.")),
        Column("theme_name", STRING, _("The theme's name.")),
        Column("status", _codes(CaseStatus), _("draft, active, on_hold, evaluating or closed.")),
        Column("priority", _codes(Priority), _("low, medium, high or critical.")),
        Column("national", BOOLEAN, _("Whether the case concerns the whole country.")),
        Column("scope", STRING_LIST, _("The regions and municipalities the case concerns.")),
        Column("scope_codes", STRING_LIST, _("Their codes (länskod or kommunkod), in order.")),
        Column("start_date", DATE, _("Start date.")),
        Column("target_date", DATE, _("Target date.")),
        Column("created", DATETIME, _("When the case was registered (UTC).")),
        Column("modified", DATETIME, _("When the case was last changed (UTC).")),
        Column("url", {"type": "string", "format": "uri"}, _("The case's public page.")),
    ),
    page=selectors.public_cases_page,
    row=_case_row,
    start=(0,),
)

PARTICIPATIONS = Dataset(
    slug="participations",
    title=_("Participating organisations"),
    description=_(
        "The organisations taking part in public cases, with their role and mandate "
        "(handlingsutrymme). Contact persons are not published."
    ),
    columns=(
        Column("id", INTEGER, _("The participation's identifier.")),
        CASE_REFERENCE,
        *ORGANISATION_COLUMNS,
        Column("role", _codes(ParticipationRole), _("lead, partner, contributor or observer.")),
        Column("mandate", TEXT, _("What the organisation may decide and commit."), free_text=True),
        Column("joined", DATE, _("When the organisation accepted the invitation.")),
    ),
    page=selectors.public_participations_page,
    row=_participation_row,
)

ACTIONS = Dataset(
    slug="actions",
    title=_("Joint actions"),
    description=_(
        "The joint actions of public cases: lead and contributing organisations, status and "
        "dates. Assignees are not published."
    ),
    columns=(
        Column("id", INTEGER, _("The action's identifier.")),
        CASE_REFERENCE,
        Column("title", TEXT, _("Title."), free_text=True),
        Column("description", TEXT, _("Description."), free_text=True),
        Column(
            "status",
            _codes(ActionStatus),
            _("planned, in_progress, blocked, done or cancelled."),
        ),
        Column("lead_organisation", STRING, _("The organisation that leads the action.")),
        Column("lead_organisation_number", NULLABLE_STRING, _("Its organisationsnummer.")),
        Column(
            "contributing_organisations",
            STRING_LIST,
            _("The organisations contributing to it."),
        ),
        Column("start_date", DATE, _("Start date.")),
        Column("due_date", DATE, _("Due date.")),
        Column("completed", DATE, _("When the action was done.")),
    ),
    page=selectors.public_actions_page,
    row=_action_row,
)

MEASUREMENTS = Dataset(
    slug="measurements",
    title=_("Approved measurements"),
    description=_(
        "Approved values of the outcome indicators of public cases, with each outcome's "
        "baseline and target. Values waiting for review are not published."
    ),
    columns=(
        Column("id", INTEGER, _("The measurement's identifier.")),
        CASE_REFERENCE,
        Column("outcome_id", INTEGER, _("The outcome's identifier.")),
        Column("outcome", TEXT, _("The outcome (goal)."), free_text=True),
        Column("indicator", TEXT, _("The indicator measured."), free_text=True),
        Column("unit", TEXT, _("Unit."), free_text=True),
        Column("direction", _codes(Direction), _("increase or decrease: which way is better.")),
        Column("baseline_value", DECIMAL, _("Baseline value.")),
        Column("baseline_date", REQUIRED_DATE, _("Baseline date.")),
        Column("target_value", DECIMAL, _("Target value.")),
        Column("target_date", REQUIRED_DATE, _("Target date.")),
        Column("data_source", TEXT, _("Where the figures come from."), free_text=True),
        Column("value", DECIMAL, _("The approved value.")),
        Column("measured_on", REQUIRED_DATE, _("The date the value applies to.")),
        Column("reporting_organisation", STRING, _("The organisation that reported it.")),
        Column("reporting_organisation_number", NULLABLE_STRING, _("Its organisationsnummer.")),
    ),
    page=selectors.public_measurements_page,
    row=_measurement_row,
)

DATASETS: dict[str, Dataset] = {d.slug: d for d in (CASES, PARTICIPATIONS, ACTIONS, MEASUREMENTS)}
