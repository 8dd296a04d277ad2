"""The case page's sections, each read in a fixed number of queries and bounded in length, and
the paged pages behind their "show all" links (a status's actions, an outcome's values)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, OrderBy, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import access, selectors
from ..choices import OPEN_ACTION_STATUSES, ActionStatus, ParticipationState, ReviewState
from ..models import Action, Case, Measurement, Outcome, Participation
from .common import paginate, query_without_page

ACTION_ROWS = 8  # actions shown per status on the case page; the rest behind "show all"
LATEST_VALUES = 5  # an outcome's newest values in its table on the case page
CHART_POINTS = 60  # an outcome's chart plots its newest approved values, at most this many
NEXT_DEADLINES = 3
PARTICIPANT_ROWS = 20  # of each: taking part (or invited), and declined or left
COLLAPSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)
FINISHED = COLLAPSED_STATUSES


def action_counts(case: Case) -> dict[str, int]:
    """Actions per status, overdue and in all, in one aggregate query."""
    today = timezone.localdate()
    per_status = {status: Count("id", filter=Q(status=status)) for status in ActionStatus.values}
    return Action.objects.filter(case=case).aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today, status__in=OPEN_ACTION_STATUSES)),
        **per_status,
    )


def next_deadlines(case: Case) -> list[Action]:
    """The open actions due next (today or later), soonest first."""
    return list(
        Action.objects.filter(
            case=case, status__in=OPEN_ACTION_STATUSES, due_date__gte=timezone.localdate()
        )
        .select_related("lead_organisation")
        .order_by("due_date", "id")[:NEXT_DEADLINES]
    )


def first_ids_per_group(
    queryset: QuerySet, field: str, keys: list[Any], order: list[Any], size: int
) -> QuerySet:
    """The ids of the first `size` rows of each group (`field` = key), in one query that reads
    only those rows: on PostgreSQL a UNION ALL of one `ORDER BY … LIMIT` per group, each served
    by an index that starts with the group's columns. A window numbering every row would read
    the whole of each group (a case's 600 actions, an outcome's thousands of values).
    SQLite (development) cannot put LIMIT in a compound statement: there, an OR of the limited
    subqueries does the same on the small data it holds."""
    parts = [queryset.filter(**{field: key}).order_by(*order).values("pk")[:size] for key in keys]
    if not parts:
        return queryset.none().values("pk")
    if connection.features.supports_slicing_ordering_in_compound:
        return parts[0].union(*parts[1:], all=True)
    condition = Q()
    for part in parts:
        condition |= Q(pk__in=part)
    return queryset.filter(condition).values("pk")


DUE_ORDER = [OrderBy(F("due_date"), nulls_last=True), "id"]


def _first_actions_per_status(case: Case) -> list[Action]:
    """At most ACTION_ROWS actions of each status (soonest due first), over the index on
    Action(case, status, due_date, id); one query for the ids, one for the rows."""
    ids = first_ids_per_group(
        Action.objects.filter(case=case), "status", ActionStatus.values, DUE_ORDER, ACTION_ROWS
    )
    return list(selectors.case_actions(case).filter(pk__in=ids).order_by(*DUE_ORDER))


def _with_access(user: Any, case: Case, actions: list[Action]) -> None:
    for action in actions:
        action.case = case  # share the case's cached participants with every access check
        action.waiting_for = [d for d in action.depends_on.all() if d.status not in FINISHED]
        action.can_change = access.can_change_action(user, action)


def action_groups(user: Any, case: Case, counts: dict[str, int]) -> list[dict[str, Any]]:
    """The case's actions by status; finished ones collapsed; each group at most ACTION_ROWS."""
    actions = _first_actions_per_status(case)
    _with_access(user, case, actions)
    groups = []
    for status, label in ActionStatus.choices:
        rows = [action for action in actions if action.status == status]
        if rows:
            groups.append(
                {
                    "status": status,
                    "label": label,
                    "actions": rows,
                    "count": counts.get(status, len(rows)),
                    "collapsed": status in COLLAPSED_STATUSES,
                }
            )
    return groups


def _on_track(outcome: Outcome, progress: dict[str, Any], today: date) -> bool | None:
    """Whether the latest approved value has come as far as the time gone would ask (a straight
    line from baseline to target); None without an approved value."""
    if progress["progress"] is None:
        return None
    if progress["target_reached"]:
        return True
    span = (outcome.target_date - outcome.baseline_date).days
    gone = (min(progress["latest_date"], outcome.target_date) - outcome.baseline_date).days
    expected = 1 if span <= 0 else max(0, gone) / span
    return float(progress["progress"]) >= expected


NEWEST = ["-measured_on", "-id"]


def _newest_values(outcomes: list[Outcome], queryset: QuerySet, size: int) -> dict[int, list]:
    """Per outcome its newest `size` values of `queryset`, newest first, in one query over the
    index on Measurement(outcome, …, measured_on, id)."""
    keys = [outcome.pk for outcome in outcomes]
    ids = first_ids_per_group(queryset, "outcome_id", keys, NEWEST, size)
    rows: dict[int, list] = {key: [] for key in keys}
    for row in Measurement.objects.filter(pk__in=ids).select_related("organisation").order_by():
        rows[row.outcome_id].append(row)
    for values in rows.values():
        values.sort(key=lambda m: (m.measured_on, m.pk), reverse=True)
    return rows


def case_outcomes(user: Any, case: Case) -> list[Outcome]:
    """The outcomes with their progress, the count of their values, the newest few of them
    with what the user may do with each, and the newest CHART_POINTS approved values for the
    chart; four queries, each reading a bounded number of values however many there are."""
    outcomes = list(
        Outcome.objects.filter(case=case, archived_at__isnull=True)
        .select_related("case")
        .annotate(
            value_count=Count(
                "measurements", filter=~Q(measurements__review_state=ReviewState.WITHDRAWN)
            )
        )
        .order_by("id")
    )
    standing = Measurement.objects.exclude(review_state=ReviewState.WITHDRAWN)
    latest = _newest_values(outcomes, standing, LATEST_VALUES)
    approved = Measurement.objects.filter(review_state=ReviewState.APPROVED)
    charted = _newest_values(outcomes, approved, CHART_POINTS)
    today = timezone.localdate()
    for outcome in outcomes:
        outcome.case = case
        series = charted[outcome.pk]
        outcome.progress = selectors.progress_from(outcome, series[0] if series else None)
        outcome.on_track = _on_track(outcome, outcome.progress, today)
        outcome.chart_values = list(reversed(series))  # oldest first, as a series reads
        outcome.chart_cut = len(series) == CHART_POINTS
        # Oldest first in the table too; these are the newest LATEST_VALUES.
        outcome.latest_values = list(reversed(latest[outcome.pk]))
        with_review_rights(user, outcome, outcome.latest_values)
    return outcomes


def with_review_rights(user: Any, outcome: Outcome, measurements: list[Measurement]) -> None:
    """Per value: may the user review, correct or withdraw it (no query per value)."""
    for measurement in measurements:
        measurement.outcome = outcome
        pending = measurement.review_state == ReviewState.SUBMITTED
        measurement.can_review = pending and access.can_review_measurement(user, measurement)
        measurement.can_correct = access.can_correct_measurement(user, measurement)
        measurement.can_withdraw = access.can_withdraw_measurement(user, measurement)


def outcome_summary(outcomes: list[Outcome]) -> dict[str, int]:
    measured = [o for o in outcomes if o.on_track is not None]
    return {
        "total": len(outcomes),
        "measured": len(measured),
        "on_track": sum(1 for o in measured if o.on_track),
        "reached": sum(1 for o in measured if o.progress["target_reached"]),
    }


CURRENT_STATES = (ParticipationState.INVITED, ParticipationState.ACTIVE)
PARTICIPANT_ORDER = ["role", "organisation__name", "id"]


def participation_counts(case: Case) -> dict[str, int]:
    """How many organisations take part (or are invited), and how many declined or left."""
    current = Q(state__in=CURRENT_STATES)
    return Participation.objects.filter(case=case).aggregate(
        current=Count("id", filter=current), former=Count("id", filter=~current)
    )


def first_participations(case: Case) -> list[Participation]:
    """At most PARTICIPANT_ROWS participations of each state, by role and name, in one query
    (the index on Participation(case, state) finds them; the rest are a page further)."""
    ids = first_ids_per_group(
        Participation.objects.filter(case=case),
        "state",
        ParticipationState.values,
        PARTICIPANT_ORDER,
        PARTICIPANT_ROWS,
    )
    return list(selectors.case_participations(case).filter(pk__in=ids))


def with_participation_rights(user: Any, case: Case, participations: list[Participation]) -> None:
    """Per row: may the user answer the invitation or edit it (no query per row)."""
    for participation in participations:
        participation.case = case  # the access checks read the case; no query per row
        participation.can_answer = participation.state == "invited" and (
            access.can_respond_to_invitation(user, participation)
        )
        participation.can_edit = participation.state in CURRENT_STATES and (
            access.can_edit_participation(user, participation)
        )


def case_participants(request: HttpRequest, reference: str) -> HttpResponse:
    """Every organisation taking part in the case (`?state=former`: those that declined or
    left), a page at a time; the case page shows the first few."""
    case = _case_or_404(request, reference)
    former = request.GET.get("state") == "former"
    states = [s for s in ParticipationState.values if (s in CURRENT_STATES) != former]
    rows = selectors.case_participations(case).filter(state__in=states)
    page = paginate(request, rows.order_by(*PARTICIPANT_ORDER))
    page.object_list = list(page.object_list)
    with_participation_rights(request.user, case, page.object_list)
    context = {
        "case": case,
        "former": former,
        "page": page,
        "participations": page.object_list,
        "any_participation_editable": any(p.can_edit for p in page.object_list),
        "query": query_without_page(request),
    }
    return render(request, "cases/case_participants.html", context)


def _case_or_404(request: HttpRequest, reference: str) -> Case:
    return selectors.case_get_for_user(request.user, reference=reference)


def case_actions(request: HttpRequest, reference: str) -> HttpResponse:
    """Every action of the case with one status, a page at a time (the case page shows the
    first few of each status)."""
    case = _case_or_404(request, reference)
    status = request.GET.get("status", "")
    if status not in ActionStatus.values:
        raise Http404("No such status")
    actions: QuerySet[Action] = selectors.case_actions(case).filter(status=status)
    page = paginate(request, actions.order_by("due_date", "id"))
    _with_access(request.user, case, list(page.object_list))
    context = {
        "case": case,
        "status_label": ActionStatus(status).label,
        "page": page,
        "query": query_without_page(request),
    }
    return render(request, "cases/case_actions.html", context)


def outcome_values(request: HttpRequest, pk: int) -> HttpResponse:
    """Every standing value of an outcome, newest first, a page at a time."""
    outcome = selectors.outcome_get_for_user(request.user, pk=pk)
    values = selectors.outcome_measurements(outcome).exclude(review_state=ReviewState.WITHDRAWN)
    page = paginate(request, values.order_by("-measured_on", "-id"))
    with_review_rights(request.user, outcome, list(page.object_list))
    return render(request, "cases/outcome_values.html", {"outcome": outcome, "page": page})
