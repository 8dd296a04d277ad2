"""Writes to outcomes (their measurements: services/measurements.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.choices import EventKind
from notifications.services import event_record

from .. import access
from ..choices import Direction, ReviewState
from ..history import save_with_history
from ..models import Case, Outcome
from .common import apply_changes, ensure_case_open, require
from .measurements import outcome_target_recheck, value_errors

# What may be set on an outcome, in the order forms and the API show it.
VERDICT_FIELDS = {"baseline_value", "target_value", "direction"}
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
    "value_kind",
    "min_value",
    "max_value",
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
    low, high = outcome.min_value, outcome.max_value
    if low is not None and high is not None and high < low:
        errors["max_value"] = _("The highest plausible value cannot be below the lowest.")
    for name in ("baseline_value", "target_value"):
        problems = value_errors(outcome, getattr(outcome, name))
        if problems and name not in errors:
            errors[name] = problems
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outcome_create(*, actor: AbstractBaseUser, case: Case, **fields: Any) -> Outcome:
    ensure_case_open(case)  # first: in a closed case the refusal says why
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
    ensure_case_open(outcome.case)  # first: in a closed case the refusal says why
    require(
        access.can_manage_outcomes(actor, outcome.case),
        _("Only the committee and the coordinator set goals."),
    )
    outcome = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    ensure_case_open(outcome.case)
    changes = apply_changes(outcome, data, OUTCOME_EDITABLE_FIELDS)
    if not changes:
        return outcome
    outcome.full_clean()
    _validate_outcome(outcome)
    save_with_history(outcome, actor=actor)
    if VERDICT_FIELDS & set(changes):
        # A moved target (or baseline, or direction) can reach or lose the goal on its own.
        outcome_target_recheck(actor=actor, outcome=outcome)
    return outcome


def _lock_for_manager(actor: AbstractBaseUser, outcome: Outcome) -> Outcome:
    ensure_case_open(outcome.case)  # first: in a closed case the refusal says why
    require(
        access.can_manage_outcomes(actor, outcome.case),
        _("Only the committee and the coordinator set goals."),
    )
    outcome = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    ensure_case_open(outcome.case)
    return outcome


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    return reason


@transaction.atomic
def outcome_remove(*, actor: AbstractBaseUser, outcome: Outcome, reason: str) -> None:
    """Delete an outcome set by mistake; one with approved values is archived instead, so no
    figure that counted disappears. History keeps the deleted outcome and its values."""
    outcome = _lock_for_manager(actor, outcome)
    reason = _reason(reason)
    if outcome.measurements.filter(review_state=ReviewState.APPROVED).exists():
        raise ValidationError(
            _("The outcome has approved measurements and cannot be removed; archive it instead.")
        )
    _record(EventKind.OUTCOME_REMOVED, actor, outcome, reason)
    # One by one, so each deletion's history record names who removed it and why.
    for instance in (*outcome.measurements.all(), outcome):
        instance._history_user = actor  # type: ignore[attr-defined]
        instance._change_reason = reason  # type: ignore[attr-defined]
        instance.delete()


@transaction.atomic
def outcome_archive(*, actor: AbstractBaseUser, outcome: Outcome, reason: str) -> Outcome:
    """Put an outcome aside: it keeps its values and history, takes no new values and leaves
    the case page's list of current outcomes."""
    outcome = _lock_for_manager(actor, outcome)
    reason = _reason(reason)
    if outcome.archived_at is None:
        outcome.archived_at = timezone.now()
        save_with_history(outcome, actor=actor, reason=reason)
        _record(EventKind.OUTCOME_ARCHIVED, actor, outcome, reason)
    return outcome


def _record(kind: str, actor: AbstractBaseUser, outcome: Outcome, reason: str) -> None:
    payload = {"outcome": outcome.pk, "outcome_title": outcome.title, "reason": reason}
    event_record(kind=kind, actor=actor, case=outcome.case, target=outcome, payload=payload)
