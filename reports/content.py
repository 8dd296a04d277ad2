"""What a report says: the case report's sections and a portfolio page per case, each read in a
fixed number of queries and cut to a bounded number of rows (the report says how many more
there are in Samverkan)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from cases.choices import ActionStatus, ParticipationState
from cases.models import Action, ActionUpdate, Case
from cases.views import case_sections as sections

REPORT_ACTION_ROWS = 25  # actions listed per status; the count says how many there are
APPROVED_VALUES = 8  # an outcome's newest approved values in its table
PERIOD_UPDATES = 30  # progress updates of the last period, newest first
CURRENT_STATES = (ParticipationState.INVITED, ParticipationState.ACTIVE)


def case_actions_by_status(case: Case, counts: dict[str, int]) -> list[dict[str, Any]]:
    """Per status the first REPORT_ACTION_ROWS actions (soonest due first) with the unfinished
    actions each waits for; two queries for the rows plus the prefetches."""
    ids = sections.first_ids_per_group(
        Action.objects.filter(case=case),
        "status",
        ActionStatus.values,
        sections.DUE_ORDER,
        REPORT_ACTION_ROWS,
    )
    actions = list(
        sections.selectors.case_actions(case).filter(pk__in=ids).order_by(*sections.DUE_ORDER)
    )
    for action in actions:
        action.waiting_for = [
            d for d in action.depends_on.all() if d.status not in sections.FINISHED
        ]
    groups = []
    for status, label in ActionStatus.choices:
        rows = [action for action in actions if action.status == status]
        if rows:
            total = counts.get(status, len(rows))
            groups.append(
                {
                    "status": status,
                    "label": label,
                    "actions": rows,
                    "total": total,
                    "more": total - len(rows),
                }
            )
    return groups


def period_updates(case: Case, days: int) -> QuerySet[ActionUpdate]:
    """The case's progress updates of the last `days` days, newest first, at most
    PERIOD_UPDATES of them."""
    since = timezone.now() - timedelta(days=days)
    return (
        ActionUpdate.objects.filter(action__case=case, created_at__gte=since)
        .select_related("action", "author")
        .order_by("-created_at", "-id")[:PERIOD_UPDATES]
    )


def case_decisions(case: Case) -> list[Any]:
    """The case's decisions for the report's "Decisions" section
    (`reports/_case_decisions.html`). The decisions app fills this in; until it does, the
    section renders nothing."""
    return []


def _outcomes(viewer: Any, case: Case) -> list[Any]:
    outcomes = sections.case_outcomes(viewer, case)
    for outcome in outcomes:
        # chart_values: the newest approved values, oldest first; the table shows the last few.
        outcome.approved_values = outcome.chart_values[-APPROVED_VALUES:]
        outcome.approved_more = len(outcome.chart_values) - len(outcome.approved_values)
    return outcomes


def case_report_context(viewer: Any, case: Case) -> dict[str, Any]:
    """Everything the case report shows, for a viewer who may see the case."""
    participations = [p for p in sections.first_participations(case) if p.state in CURRENT_STATES]
    for participation in participations:
        participation.case = case
    counts = sections.action_counts(case)
    period_days = settings.REPORTS_PERIOD_DAYS
    return {
        "case": case,
        "participations": participations,
        "participation_counts": sections.participation_counts(case),
        "action_counts": counts,
        "action_groups": case_actions_by_status(case, counts),
        "outcomes": _outcomes(viewer, case),
        "decisions": case_decisions(case),
        "period_days": period_days,
        "updates": list(period_updates(case, period_days)),
        "generated_at": timezone.now(),
    }


def portfolio_page_context(viewer: Any, case: Case) -> dict[str, Any]:
    """One case's page in the portfolio report: overview, participants, action counts and the
    outcomes' latest approved values."""
    participations = [p for p in sections.first_participations(case) if p.state in CURRENT_STATES]
    for participation in participations:
        participation.case = case
    return {
        "case": case,
        "participations": participations,
        "action_counts": sections.action_counts(case),
        "outcomes": _outcomes(viewer, case),
    }
