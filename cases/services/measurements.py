"""Measurements: sanity at entry, review, correction and withdrawal.

A partner's number counts once the case's coordinator or the committee has approved it (the
review step of results frameworks such as Akvo RSR); a case manager's number is approved on
entry. Every change keeps the old value in history with who, when and why.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Organisation
from notifications.choices import EventKind
from notifications.services import event_record
from notifications.services.events import event_record_once

from .. import access
from ..choices import ReviewState, ValueKind
from ..formatting import format_figure
from ..history import save_with_history
from ..models import Measurement, Outcome
from .common import TransitionNotAllowed, check_version, ensure_case_open, require

# What a correction may change.
MEASUREMENT_CORRECTABLE_FIELDS = ("value", "measured_on", "note")


def value_errors(outcome: Outcome, value: Decimal) -> list[str]:
    """Why `value` cannot be a value of the outcome's indicator (empty when it can)."""
    kind = outcome.value_kind
    if kind == ValueKind.COUNT and (value < 0 or value != value.to_integral_value()):
        return [_("A count is a whole number, 0 or more.")]
    if kind == ValueKind.PERCENT and not 0 <= value <= 100:
        return [_("A percentage lies between 0 and 100.")]
    if kind == ValueKind.RATE and value < 0:
        return [_("A rate cannot be negative.")]
    if outcome.min_value is not None and value < outcome.min_value:
        message = _("This is below the lowest plausible value of the outcome (%(limit)s).")
        return [message % {"limit": format_figure(outcome.min_value, outcome)}]
    if outcome.max_value is not None and value > outcome.max_value:
        message = _("This is above the highest plausible value of the outcome (%(limit)s).")
        return [message % {"limit": format_figure(outcome.max_value, outcome)}]
    return []


def _duplicate_of(measurement: Measurement) -> Measurement | None:
    return (
        Measurement.objects.filter(
            outcome_id=measurement.outcome_id,
            organisation_id=measurement.organisation_id,
            measured_on=measurement.measured_on,
        )
        .exclude(review_state=ReviewState.WITHDRAWN)
        .exclude(pk=measurement.pk)
        .first()
    )


def _validate(measurement: Measurement) -> None:
    """The sanity rules of every value, whoever enters it and however: errors by the field."""
    outcome = measurement.outcome
    errors: dict[str, list[str]] = {}
    if measurement.value is not None and value_errors(outcome, Decimal(measurement.value)):
        errors["value"] = value_errors(outcome, Decimal(measurement.value))
    day = measurement.measured_on
    if day is not None and day > timezone.localdate():
        errors["measured_on"] = [_("A measurement cannot be dated in the future.")]
    elif day is not None and day < outcome.baseline_date:
        errors["measured_on"] = [_("A measurement cannot predate the baseline.")]
    elif day is not None and (first := _duplicate_of(measurement)) is not None:
        message = _(
            "%(organisation)s already reported %(value)s for this date (measurement "
            "%(id)s). Correct that value instead of reporting a second one."
        )
        errors["measured_on"] = [
            message
            % {
                "organisation": measurement.organisation.name,
                "value": format_figure(first.value, outcome),
                "id": first.pk,
            }
        ]
    if errors:
        raise ValidationError(errors)


def _payload(measurement: Measurement, **extra: Any) -> dict[str, Any]:
    outcome = measurement.outcome
    return {
        "outcome": outcome.pk,
        "outcome_title": outcome.title,
        "value": str(measurement.value),
        "unit": outcome.unit,
        "value_kind": outcome.value_kind,
        "measured_on": measurement.measured_on.isoformat(),
        "organisation": measurement.organisation_id,
        "reported_by": measurement.reported_by_id,
        "review_state": measurement.review_state,
        **extra,
    }


def _target_reached(outcome: Outcome, value: Decimal) -> bool:
    progress = outcome.progress_of(value)
    return progress is not None and progress >= 1


def outcome_target_recheck(*, actor: AbstractBaseUser, outcome: Outcome) -> None:
    """Compare the latest approved value with the target; announce a change of the verdict.

    "Reached" is announced once per outcome (its first time; the dedupe key makes a second one
    impossible), "no longer reached" whenever a correction or a later value takes it back.
    The caller holds the outcome's row lock, so two reviews cannot both announce.
    """
    latest = (
        outcome.measurements.filter(review_state=ReviewState.APPROVED)
        .order_by("-measured_on", "-id")
        .first()
    )
    reached = latest is not None and _target_reached(outcome, latest.value)
    if reached == outcome.target_reached:
        return
    first_time = reached and outcome.target_reached_at is None
    outcome.target_reached = reached
    if first_time:
        outcome.target_reached_at = timezone.now()
    Outcome.objects.filter(pk=outcome.pk).update(
        target_reached=reached, target_reached_at=outcome.target_reached_at
    )
    bare = {"outcome": outcome.pk, "outcome_title": outcome.title}
    payload = _payload(latest) if latest else bare
    common = {"actor": actor, "case": outcome.case, "target": outcome, "payload": payload}
    if first_time:
        event_record_once(
            dedupe_key=f"{EventKind.OUTCOME_TARGET_REACHED}:{outcome.pk}",
            kind=EventKind.OUTCOME_TARGET_REACHED,
            **common,
        )
    elif not reached:
        event_record(kind=EventKind.OUTCOME_TARGET_NO_LONGER_REACHED, **common)


def _locked(measurement: Measurement) -> Measurement:
    """The measurement with its outcome locked first (the order every review takes)."""
    outcome = (
        Outcome.objects.select_for_update().select_related("case").get(pk=measurement.outcome_id)
    )
    locked = (
        Measurement.objects.select_for_update()
        .select_related("organisation")
        .get(pk=measurement.pk)
    )
    locked.outcome = outcome
    if access.is_case_open(outcome.case) or not access.is_answer_after_closing(locked):
        ensure_case_open(outcome.case)
    if outcome.archived_at is not None:
        raise ValidationError(_("The outcome is archived; its values no longer change."))
    return locked


def _reviewed(measurement: Measurement, actor: AbstractBaseUser, state: str, comment: str) -> None:
    measurement.review_state = state
    measurement.review_comment = comment
    measurement.reviewed_by = actor
    measurement.reviewed_at = timezone.now()


def _required(field: str, text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


@transaction.atomic
def measurement_report(
    *,
    actor: AbstractBaseUser,
    outcome: Outcome,
    organisation: Organisation,
    value: Decimal,
    measured_on: date,
    note: str = "",
    after_closing: bool = False,
) -> Measurement:
    """Record a value of the outcome's indicator, reported by a participating organisation.

    A partner's value waits for review; a case manager's is approved on entry. A closed case
    takes a value only `after_closing`: when the caller answers a request made after closing
    (an effect follow-up) that `access.may_report_after_closing` allows.
    """
    outcome = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    require(access.can_view_case(actor, outcome.case))
    if not (after_closing and access.may_report_after_closing(actor, outcome, organisation.pk)):
        ensure_case_open(outcome.case)
    if outcome.archived_at is not None:
        raise ValidationError(_("The outcome is archived; it takes no more measurements."))
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
    if access.measurement_approved_on_entry(actor, outcome.case):
        _reviewed(measurement, actor, ReviewState.APPROVED, "")
    measurement.full_clean(validate_constraints=False)
    _validate(measurement)
    save_with_history(measurement, actor=actor, created=True)
    event_record(
        kind=EventKind.MEASUREMENT_REPORTED,
        actor=actor,
        case=outcome.case,
        target=measurement,
        payload=_payload(measurement),
    )
    if measurement.counts:
        outcome_target_recheck(actor=actor, outcome=outcome)
    return measurement


@transaction.atomic
def measurement_approve(*, actor: AbstractBaseUser, measurement: Measurement) -> Measurement:
    """The coordinator or the committee accepts a submitted value: from now on it counts."""
    measurement = _locked(measurement)
    require(
        access.can_review_measurement(actor, measurement),
        _("Only the committee and the case's coordinator review measurements."),
    )
    if measurement.review_state != ReviewState.SUBMITTED:
        raise TransitionNotAllowed(_("Only a submitted value can be approved."))
    _reviewed(measurement, actor, ReviewState.APPROVED, "")
    measurement.version += 1
    save_with_history(measurement, actor=actor)
    event_record(
        kind=EventKind.MEASUREMENT_APPROVED,
        actor=actor,
        case=measurement.outcome.case,
        target=measurement,
        payload=_payload(measurement),
    )
    outcome_target_recheck(actor=actor, outcome=measurement.outcome)
    return measurement


@transaction.atomic
def measurement_return(
    *, actor: AbstractBaseUser, measurement: Measurement, comment: str
) -> Measurement:
    """Send a submitted value back to its reporter with what needs to change."""
    measurement = _locked(measurement)
    require(
        access.can_review_measurement(actor, measurement),
        _("Only the committee and the case's coordinator review measurements."),
    )
    comment = _required("comment", comment, _("Say what the reporter should check or change."))
    if measurement.review_state != ReviewState.SUBMITTED:
        raise TransitionNotAllowed(_("Only a submitted value can be returned."))
    _reviewed(measurement, actor, ReviewState.RETURNED, comment)
    measurement.version += 1
    save_with_history(measurement, actor=actor, reason=comment)
    event_record(
        kind=EventKind.MEASUREMENT_RETURNED,
        actor=actor,
        case=measurement.outcome.case,
        target=measurement,
        payload=_payload(measurement, comment=comment),
    )
    return measurement


@transaction.atomic
def measurement_correct(
    *,
    actor: AbstractBaseUser,
    measurement: Measurement,
    data: dict[str, Any],
    reason: str,
    expected_version: int | None = None,
) -> Measurement:
    """Change a value, its date or note, with a reason; the old value stays in history.

    A correction by the reporting organisation goes (back) to review; a case manager's
    correction keeps the value's review state.
    """
    measurement = _locked(measurement)
    require(
        access.can_correct_measurement(actor, measurement),
        _("Only the reporting organisation and the case's managers correct a value."),
    )
    reason = _required("reason", reason, _("Say why the value is corrected."))
    if measurement.review_state == ReviewState.WITHDRAWN:
        raise TransitionNotAllowed(_("A withdrawn value cannot be corrected."))
    check_version(measurement, expected_version)
    unknown = set(data) - set(MEASUREMENT_CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    old_value, old_date, counted = measurement.value, measurement.measured_on, measurement.counts
    changed = {k: v for k, v in data.items() if getattr(measurement, k) != v}
    if not changed:
        return measurement
    for name, value in changed.items():
        setattr(measurement, name, value)
    measurement.full_clean(validate_constraints=False)
    _validate(measurement)
    if not access.is_case_manager(actor, measurement.outcome.case):
        measurement.review_state = ReviewState.SUBMITTED
    measurement.version += 1
    save_with_history(measurement, actor=actor, reason=reason)
    event_record(
        kind=EventKind.MEASUREMENT_CORRECTED,
        actor=actor,
        case=measurement.outcome.case,
        target=measurement,
        payload=_payload(
            measurement,
            old_value=str(old_value),
            old_measured_on=old_date.isoformat(),
            reason=reason,
        ),
    )
    if counted or measurement.counts:
        outcome_target_recheck(actor=actor, outcome=measurement.outcome)
    return measurement


@transaction.atomic
def measurement_withdraw(
    *,
    actor: AbstractBaseUser,
    measurement: Measurement,
    reason: str,
    expected_version: int | None = None,
) -> Measurement:
    """Take a value back, with a reason: it no longer counts and frees its date."""
    measurement = _locked(measurement)
    require(
        access.can_withdraw_measurement(actor, measurement),
        _("The reporter withdraws a value until it is approved; then only the case's managers."),
    )
    reason = _required("reason", reason, _("Say why the value is withdrawn."))
    if measurement.review_state == ReviewState.WITHDRAWN:
        raise TransitionNotAllowed(_("The value is already withdrawn."))
    check_version(measurement, expected_version)
    counted = measurement.counts
    measurement.review_state = ReviewState.WITHDRAWN
    measurement.version += 1
    save_with_history(measurement, actor=actor, reason=reason)
    event_record(
        kind=EventKind.MEASUREMENT_WITHDRAWN,
        actor=actor,
        case=measurement.outcome.case,
        target=measurement,
        payload=_payload(measurement, reason=reason),
    )
    if counted:
        outcome_target_recheck(actor=actor, outcome=measurement.outcome)
    return measurement
