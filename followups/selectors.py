"""Reads of the effect follow-ups, by who asks: a follow-up is seen with its case's access rules
(404 for a case the user may not see)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from cases.choices import ReviewState
from cases.models import Case, Measurement, Outcome

from .choices import FollowUpStatus, Verdict
from .models import FollowUp


def followups_of_case(case: Case) -> QuerySet[FollowUp]:
    """The case's follow-ups by due date (the caller checked the case's access), each with the
    outcome's value at closing: its latest approved value dated on or before the closing day."""
    at_closing = (
        Measurement.objects.filter(
            outcome=OuterRef("outcome_id"),
            review_state=ReviewState.APPROVED,
            measured_on__lte=OuterRef("closed_on"),
        )
        .order_by("-measured_on", "-id")
        .values("value")[:1]
    )
    return (
        FollowUp.objects.filter(case=case)
        .select_related("outcome", "measurement")
        .annotate(value_at_closing=Subquery(at_closing))
        .order_by("due_on", "id")
    )


def case_followups(case: Case) -> list[FollowUp]:
    """`followups_of_case` read once per case object: the case page asks it for every value
    shown (is it a follow-up answer?) and for its effect section, in one query."""
    cached = getattr(case, "_followups", None)
    if cached is None:
        cached = list(followups_of_case(case))
        case._followups = cached  # type: ignore[attr-defined]
    return cached


def followup_get_for_case(case: Case, *, pk: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("outcome", "case").get(case=case, pk=pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None


def verdict_of(outcome: Outcome, value: Decimal | None) -> str:
    """Held: still at or past the target in the outcome's direction; partly: better than the
    baseline but short of the target; not held: back at the baseline or worse."""
    progress = outcome.progress_of(value)
    if progress is None:
        return Verdict.UNKNOWN
    if progress >= 1:
        return Verdict.HELD
    return Verdict.PARTLY if progress > 0 else Verdict.NOT_HELD


def point_state(followup: FollowUp, today: date) -> str:
    """What a follow-up point shows: its approved value, waiting for review, returned, not
    reported (due), overdue, scheduled or cancelled."""
    if followup.status == FollowUpStatus.CANCELLED:
        return "cancelled"
    if followup.measurement is not None:
        state = followup.measurement.review_state
        return {ReviewState.APPROVED: "approved", ReviewState.RETURNED: "returned"}.get(
            state, "waiting"
        )
    if followup.is_overdue(today):
        return "overdue"
    return "due" if followup.is_due(today) else "scheduled"


@dataclass
class OutcomeEffect:
    """One outcome on the closed case's page: its value at closing, its points and the verdict."""

    outcome: Outcome
    value_at_closing: Decimal | None
    points: list[FollowUp] = field(default_factory=list)
    verdict: str = Verdict.UNKNOWN


def effects_of_case(case: Case, *, today: date) -> list[OutcomeEffect]:
    """Per outcome, in one query: the follow-up points with their states, and whether the effect
    held by the latest approved follow-up value."""
    effects: dict[int, OutcomeEffect] = {}
    for followup in case_followups(case):
        effect = effects.setdefault(
            followup.outcome_id, OutcomeEffect(followup.outcome, followup.value_at_closing)
        )
        followup.state = point_state(followup, today)
        effect.points.append(followup)
        if followup.state == "approved":
            effect.verdict = verdict_of(effect.outcome, followup.measurement.value)
    return list(effects.values())


def followup_list_for_user(user: Any, case: Case) -> QuerySet[FollowUp]:
    """The API's list of a case's follow-ups: `case` comes from `case_get_for_user` (404)."""
    return followups_of_case(case)
