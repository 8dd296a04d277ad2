"""Writes to outcomes and their measurements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Organisation
from notifications.choices import EventKind
from notifications.services import event_record

from .. import access
from ..choices import Direction
from ..history import save_with_history
from ..models import Case, Measurement, Outcome
from .common import apply_changes, ensure_case_open, require

# What may be set on an outcome, in the order forms and the API show it.
OUTCOME_EDITABLE_FIELDS = (
    "title",
    "description",
    "indicator",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "data_source",
)


def _validate_outcome(outcome: Outcome) -> None:
    errors = {}
    if outcome.target_date < outcome.baseline_date:
        errors["target_date"] = _("The target date cannot be before the baseline date.")
    increase = outcome.direction == Direction.INCREASE
    if increase and outcome.target_value <= outcome.baseline_value:
        errors["target_value"] = _("To increase, the target must be above the baseline.")
    if not increase and outcome.target_value >= outcome.baseline_value:
        errors["target_value"] = _("To decrease, the target must be below the baseline.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outcome_create(*, actor: AbstractBaseUser, case: Case, **fields: Any) -> Outcome:
    require(
        access.can_manage_outcomes(actor, case),
        _("Only the committee and the coordinator set goals."),
    )
    ensure_case_open(case)
    unknown = set(fields) - set(OUTCOME_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    outcome = Outcome(case=case, **fields)
    outcome.full_clean()
    _validate_outcome(outcome)
    save_with_history(outcome, actor=actor, created=True)
    return outcome


@transaction.atomic
def outcome_update(*, actor: AbstractBaseUser, outcome: Outcome, data: dict[str, Any]) -> Outcome:
    require(
        access.can_manage_outcomes(actor, outcome.case),
        _("Only the committee and the coordinator set goals."),
    )
    outcome = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    ensure_case_open(outcome.case)
    if not apply_changes(outcome, data, OUTCOME_EDITABLE_FIELDS):
        return outcome
    outcome.full_clean()
    _validate_outcome(outcome)
    save_with_history(outcome, actor=actor)
    return outcome


def _target_reached(outcome: Outcome, value: Decimal) -> bool:
    progress = outcome.progress_of(value)
    return progress is not None and progress >= 1


@transaction.atomic
def measurement_report(
    *,
    actor: AbstractBaseUser,
    outcome: Outcome,
    organisation: Organisation,
    value: Decimal,
    measured_on: date,
    note: str = "",
) -> Measurement:
    """Record a value of the outcome's indicator, reported by a participating organisation."""
    outcome = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    require(access.can_view_case(actor, outcome.case))
    ensure_case_open(outcome.case)
    if organisation.pk not in access.active_participant_ids(outcome.case):
        raise ValidationError(
            {
                "organisation": _(
                    "Only an organisation taking part in the case reports its measurements."
                )
            }
        )
    require(
        access.can_report_measurement(actor, outcome, organisation.pk),
        _("You may report measurements only for your own organisation in this case."),
    )
    measurement = Measurement(
        outcome=outcome,
        organisation=organisation,
        value=value,
        measured_on=measured_on,
        note=note,
        reported_by=actor,
    )
    measurement.full_clean()
    if measured_on < outcome.baseline_date:
        raise ValidationError({"measured_on": _("A measurement cannot predate the baseline.")})
    reached_before = any(_target_reached(outcome, m.value) for m in outcome.measurements.all())
    save_with_history(measurement, actor=actor, created=True)
    payload = {
        "outcome": outcome.pk,
        "outcome_title": outcome.title,
        "value": str(value),
        "unit": outcome.unit,
        "measured_on": measured_on.isoformat(),
        "organisation": organisation.pk,
    }
    event_record(
        kind=EventKind.MEASUREMENT_REPORTED,
        actor=actor,
        case=outcome.case,
        target=measurement,
        payload=payload,
    )
    if not reached_before and _target_reached(outcome, Decimal(value)):
        event_record(
            kind=EventKind.OUTCOME_TARGET_REACHED,
            actor=actor,
            case=outcome.case,
            target=outcome,
            payload=payload,
        )
    return measurement
