"""Every write of the effect follow-ups: scheduling them when a case closes, cancelling them when
it reopens, reporting a follow-up value, and the daily reminders. Each in one transaction.

Who is asked: an outcome has no lead organisation of its own, so the case's lead participants
(active participations with the role "lead") report its follow-up values. The case's managers may
report for them; the value then goes through the usual review of measurements.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Organisation
from agencies.selectors import user_organisation_ids
from cases import access
from cases.choices import CaseStatus, ParticipationRole
from cases.models import Case, CaseStatusChange, Measurement, Outcome
from cases.services.common import TransitionNotAllowed, require
from cases.services.measurements import measurement_report
from notifications.choices import EventKind
from notifications.services.events import event_record

from .choices import FollowUpStatus
from .models import FollowUp

REMINDER_BATCH = 500


def lead_organisation_ids(case: Case) -> set[int]:
    """The organisations asked for an outcome's follow-up values: the case's lead participants."""
    return {
        org_id
        for org_id, role in access.active_participant_ids(case).items()
        if role == ParticipationRole.LEAD
    }


def reporting_organisation_ids(user: Any, case: Case) -> set[int]:
    """The lead organisations `user` may report a follow-up value for: their own, or any of them
    for the case's managers."""
    if not user.is_authenticated:
        return set()
    leads = lead_organisation_ids(case)
    return leads if access.is_case_manager(user, case) else leads & user_organisation_ids(user)


def can_report_followup(user: Any, followup: FollowUp, *, today: date | None = None) -> bool:
    """The follow-up waits for its value, its day has come, and the user reports for a lead."""
    today = today or timezone.localdate()
    return followup.is_due(today) and bool(reporting_organisation_ids(user, followup.case))


def _may_report_after_closing(user: Any, outcome: Outcome, organisation_id: int) -> bool:
    """The rule the measurement service asks in a closed case (registered in apps.py)."""
    if organisation_id not in reporting_organisation_ids(user, outcome.case):
        return False
    return FollowUp.objects.filter(
        outcome=outcome, status=FollowUpStatus.SCHEDULED, due_on__lte=timezone.localdate()
    ).exists()


def _is_followup_answer(measurement: Measurement) -> bool:
    """Asked per value shown on a closed case's page: the case's follow-ups are read once."""
    from .selectors import case_followups

    answers = {f.measurement_id for f in case_followups(measurement.outcome.case)}
    return measurement.pk in answers


def _followup_answer_condition() -> Q:
    return Q(followup__isnull=False)


def register_closed_case_values() -> None:
    access.values_after_closing_register(
        reporter=_may_report_after_closing,
        answer=_is_followup_answer,
        condition=_followup_answer_condition,
    )


# Scheduling, from the case's status changes (cases.services.cases.case_transition_hook_register).


@transaction.atomic
def followups_schedule(*, actor: Any, case: Case, closed_on: date) -> list[FollowUp]:
    """One follow-up per live outcome and FOLLOWUP_MONTHS point, counted from `closed_on`.

    Runs inside the closing's transaction. Idempotent: a point that exists stays as it is; one
    cancelled by a reopening is scheduled again from the new closing date.
    """
    outcomes = list(Outcome.objects.filter(case=case, archived_at__isnull=True).order_by("id"))
    existing = {
        (f.outcome_id, f.months): f for f in FollowUp.objects.select_for_update().filter(case=case)
    }
    scheduled = []
    for outcome in outcomes:
        for months in settings.FOLLOWUP_MONTHS:
            followup = existing.get((outcome.pk, months))
            if followup is not None and followup.status != FollowUpStatus.CANCELLED:
                continue
            followup = followup or FollowUp(outcome=outcome, case=case, months=months)
            followup.status = FollowUpStatus.SCHEDULED
            followup.closed_on = closed_on
            followup.due_on = closed_on + relativedelta(months=months)
            followup.due_notified_at = followup.overdue_notified_at = None
            followup._change_reason = _("Scheduled when the case closed")
            followup.save()
            scheduled.append(followup)
    return scheduled


@transaction.atomic
def followups_cancel(*, actor: Any, case: Case) -> int:
    """The case reopened: its follow-ups still waiting are cancelled (kept, with history); the
    next closing schedules them again. Values already reported stay."""
    waiting = FollowUp.objects.select_for_update().filter(
        case=case, status=FollowUpStatus.SCHEDULED
    )
    count = 0
    for followup in waiting:
        followup.status = FollowUpStatus.CANCELLED
        followup._change_reason = _("Cancelled: the case was reopened")
        followup.save()
        count += 1
    return count


def on_case_transition(actor: Any, case: Case, change: CaseStatusChange) -> None:
    if change.to_status == CaseStatus.CLOSED:
        followups_schedule(actor=actor, case=case, closed_on=timezone.localdate())
    elif change.from_status == CaseStatus.CLOSED:
        followups_cancel(actor=actor, case=case)


# Reporting a value.


@transaction.atomic
def followup_report(
    *,
    actor: Any,
    followup: FollowUp,
    organisation: Organisation,
    value: Decimal,
    measured_on: date,
    note: str = "",
) -> Measurement:
    """A lead organisation reports the outcome's value at a follow-up point; it is a measurement
    like any other (reviewed by the case's coordinator or the committee) linked to the point."""
    followup = FollowUp.objects.select_for_update().select_related("case").get(pk=followup.pk)
    require(access.can_view_case(actor, followup.case))
    if organisation.pk not in lead_organisation_ids(followup.case):
        raise ValidationError(
            {"organisation": _("A follow-up value is reported by the case's lead organisation.")}
        )
    require(
        organisation.pk in reporting_organisation_ids(actor, followup.case),
        _("Only the lead organisation's members and the case's managers report this value."),
    )
    if followup.status != FollowUpStatus.SCHEDULED:
        raise TransitionNotAllowed(_("This follow-up is not waiting for a value."))
    if not followup.is_due(timezone.localdate()):
        raise TransitionNotAllowed(
            _("This follow-up is due on %(date)s; report its value from then on.")
            % {"date": followup.due_on.isoformat()}
        )
    if measured_on is not None and measured_on < followup.closed_on:
        raise ValidationError(
            {"measured_on": _("A follow-up value is dated on or after the day the case closed.")}
        )
    measurement = measurement_report(
        actor=actor,
        outcome=followup.outcome,
        organisation=organisation,
        value=value,
        measured_on=measured_on,
        note=note,
        after_closing=True,
    )
    followup.measurement = measurement
    followup.status = FollowUpStatus.ANSWERED
    followup._change_reason = _("Value reported")
    followup.save()
    return measurement


# The daily reminders.


def _payload(followup: FollowUp) -> dict[str, Any]:
    return {
        "followup": followup.pk,
        "outcome": followup.outcome_id,
        "outcome_title": followup.outcome.title,
        "months": followup.months,
        "due_on": followup.due_on.isoformat(),
        "overdue_after": followup.overdue_after.isoformat(),
        "lead_organisations": sorted(lead_organisation_ids(followup.case)),
    }


def _claim_and_tell(pk: int, *, stamp: str, kind: str, now: datetime) -> bool:
    """Claim the reminder with a conditional UPDATE (zero rows: another run sent it) and record
    its event in the same transaction."""
    with transaction.atomic():
        claimed = FollowUp.objects.filter(
            pk=pk, status=FollowUpStatus.SCHEDULED, **{f"{stamp}__isnull": True}
        ).update(**{stamp: now})
        if not claimed:
            return False
        followup = FollowUp.objects.select_related("case", "outcome").get(pk=pk)
        event_record(
            kind=kind, actor=None, case=followup.case, target=followup, payload=_payload(followup)
        )
        return True


def _remind(waiting: Any, *, stamp: str, kind: str, now: datetime) -> int:
    sent = 0
    pending = waiting.filter(**{f"{stamp}__isnull": True}).order_by("due_on", "id")
    while ids := list(pending.values_list("pk", flat=True)[:REMINDER_BATCH]):
        sent += sum(_claim_and_tell(pk, stamp=stamp, kind=kind, now=now) for pk in ids)
    return sent


def followups_due(*, now: datetime | None = None) -> dict[str, int]:
    """The daily job: each follow-up whose day came is announced once to its lead organisation;
    each still without a value FOLLOWUP_GRACE_DAYS later is announced once as overdue (to the
    coordinator too)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED)
    overdue_before = today - timedelta(days=settings.FOLLOWUP_GRACE_DAYS)
    due = _remind(
        waiting.filter(due_on__lte=today),
        stamp="due_notified_at",
        kind=EventKind.FOLLOWUP_DUE,
        now=now,
    )
    overdue = _remind(
        waiting.filter(due_on__lt=overdue_before),
        stamp="overdue_notified_at",
        kind=EventKind.FOLLOWUP_OVERDUE,
        now=now,
    )
    return {"due": due, "overdue": overdue}
