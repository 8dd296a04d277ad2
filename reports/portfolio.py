"""The portfolio report's summary table: one row per case.

`portfolio_summary` computes the figures from the cases' own fields (status, theme, lead
organisation, overdue and blocked actions). It is the one place to swap for the portfolio
app's figures: the template reads only the keys of `SummaryRow`.
"""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    CaseStatus,
    ParticipationRole,
    ParticipationState,
)
from cases.models import Case, Participation


class SummaryRow(TypedDict):
    case: Case
    lead_organisation: str
    actions: int
    overdue: int
    blocked: int


def portfolio_cases() -> QuerySet[Case]:
    """The cases the committee's portfolio covers: every case not closed, by reference."""
    return (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .select_related("theme", "coordinator")
        .order_by("reference")
    )


def portfolio_summary(cases: QuerySet[Case]) -> list[SummaryRow]:
    """One row per case, in one query: its lead organisation and its action counts."""
    today = timezone.localdate()
    lead = Participation.objects.filter(
        case=OuterRef("pk"), role=ParticipationRole.LEAD, state=ParticipationState.ACTIVE
    ).order_by("id")
    rows = cases.annotate(
        lead_name=Subquery(lead.values("organisation__name")[:1]),
        action_total=Count("actions", distinct=True),
        overdue=Count(
            "actions",
            filter=Q(actions__due_date__lt=today, actions__status__in=OPEN_ACTION_STATUSES),
            distinct=True,
        ),
        blocked=Count("actions", filter=Q(actions__status=ActionStatus.BLOCKED), distinct=True),
    )
    return [
        SummaryRow(
            case=case,
            lead_organisation=case.lead_name or "",
            actions=case.action_total,
            overdue=case.overdue,
            blocked=case.blocked,
        )
        for case in rows
    ]
