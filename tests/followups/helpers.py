"""Closing a demo case and moving its follow-up points into the past (the clock of the tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus, Direction, ValueKind
from cases.models import Case, Outcome
from followups.models import FollowUp


def second_outcome(actor, case: Case) -> Outcome:  # type: ignore[no-untyped-def]
    return case_services.outcome_create(
        actor=actor,
        case=case,
        title="Fler får hjälp inom en månad",
        indicator="Andel som får ett första besök inom 30 dagar",
        unit="%",
        value_kind=ValueKind.PERCENT,
        direction=Direction.INCREASE,
        baseline_value=Decimal(40),
        baseline_date=timezone.localdate() - relativedelta(months=12),
        target_value=Decimal(80),
        target_date=timezone.localdate() + relativedelta(months=6),
    )


def close(actor, case: Case) -> None:  # type: ignore[no-untyped-def]
    case.refresh_from_db()
    if case.status != CaseStatus.EVALUATING:
        case_services.case_transition(
            actor=actor, case=case, to_status=CaseStatus.EVALUATING, reason="Utvärdering."
        )
    case_services.case_transition(
        actor=actor, case=case, to_status=CaseStatus.CLOSED, reason="Målen är nådda."
    )
    case.refresh_from_db()


def closed_ago(case: Case, *, months: int, days: int = 0) -> date:
    """Date the case's closing (and so its follow-up points) back: as if it closed then."""
    closed_on = timezone.localdate() - relativedelta(months=months, days=days)
    for followup in FollowUp.objects.filter(case=case):
        FollowUp.objects.filter(pk=followup.pk).update(
            closed_on=closed_on, due_on=closed_on + relativedelta(months=followup.months)
        )
    return closed_on
