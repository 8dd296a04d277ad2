"""What needs the user: the reads behind the dashboard's first list and "My actions".

Actions in four groups that do not overlap: overdue (open, past due), blocked (and not yet
overdue), due within two weeks, and the rest; plus what waits for the user's answer (invitations
to an organisation they administer, values for them to review). The database filters, orders and
cuts every group (`ORDER BY … LIMIT`, over the indexes on Action(status, due_date),
Participation(organisation, state, invited_at) and Measurement(review_state, created_at)).

Whose actions: those of every case the user manages (the committee: every case), and those
their organisations lead or contribute to in cases they may see. Closed cases are left out:
nothing can be done on them any more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from . import access, selectors
from .access import AnyUser
from .choices import OPEN_ACTION_STATUSES, ActionStatus, CaseStatus
from .models import Action, Case, DashboardVisit, Measurement, Participation

SOON_DAYS = 14
GROUP_ROWS = 10  # what the dashboard shows of a group; "show all" pages through the rest
COUNT_CAP = 100  # the dashboard counts a group up to this and then says "more than 100"

OVERDUE, BLOCKED, DUE_SOON, LATER, FINISHED = "overdue", "blocked", "due-soon", "later", "finished"
INVITATIONS, REVIEWS = "invitations", "reviews"
ACTION_GROUPS = (OVERDUE, BLOCKED, DUE_SOON)
MY_ACTION_GROUPS = (OVERDUE, BLOCKED, DUE_SOON, LATER, FINISHED)
ANSWER_GROUPS = (INVITATIONS, REVIEWS)
NOT_STARTED_OR_GOING = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # before any history: "never unblocked"


def _filtered_cases(queryset: QuerySet[Case], filters: dict[str, Any] | None) -> QuerySet[Case]:
    """The committee's filters (theme, region: a region's cases include national ones)."""
    return selectors.case_list_filter(queryset, filters or {}) if filters else queryset


def _action_ids_in_scope(user: AnyUser, *, mine_only: bool) -> QuerySet | None:
    """The ids the list is drawn from; None when it is every action (the committee's
    dashboard: the committee manages every case)."""
    if not mine_only and access.is_committee(user):
        return None
    ids = selectors.my_organisations_action_ids(user)
    if not mine_only:  # a coordinator: also every action of the cases they coordinate
        ids = ids.union(Action.objects.filter(case__coordinator=user).values("pk").order_by())
    return ids


def action_scope(
    user: AnyUser, *, mine_only: bool = False, filters: dict[str, Any] | None = None
) -> QuerySet[Action]:
    """The actions that concern the user, in cases still open that they may see; `mine_only`:
    only those of the user's organisations ("My actions"), else also every action of the cases
    they manage."""
    if not user.is_authenticated:
        return Action.objects.none()
    open_cases = _filtered_cases(
        access.visible_cases(user, Case.objects.exclude(status=CaseStatus.CLOSED)), filters
    )
    scope = Action.objects.filter(case__in=open_cases.values("pk"))
    ids = _action_ids_in_scope(user, mine_only=mine_only)
    return scope if ids is None else scope.filter(pk__in=ids)


def group_condition(group: str, today: date) -> Q:
    soon = today + timedelta(days=SOON_DAYS)
    conditions = {
        OVERDUE: Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today),
        BLOCKED: Q(status=ActionStatus.BLOCKED)
        & (Q(due_date__isnull=True) | Q(due_date__gte=today)),
        DUE_SOON: Q(status__in=NOT_STARTED_OR_GOING, due_date__gte=today, due_date__lte=soon),
        LATER: Q(status__in=NOT_STARTED_OR_GOING)
        & (Q(due_date__isnull=True) | Q(due_date__gt=soon)),
        FINISHED: Q(status__in=(ActionStatus.DONE, ActionStatus.CANCELLED)),
    }
    return conditions[group]


def _blocked_since() -> Coalesce:
    """When the action last became blocked: its first blocked history record after the last
    record that was not blocked (the action's own history, newest few rows)."""
    history = Action.history.model.objects
    last_unblocked = (
        history.filter(id=OuterRef(OuterRef("pk")))
        .exclude(status=ActionStatus.BLOCKED)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    since = (
        history.filter(id=OuterRef("pk"), status=ActionStatus.BLOCKED)
        .filter(history_date__gt=Coalesce(Subquery(last_unblocked), Value(EPOCH)))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return Coalesce(Subquery(since), F("updated_at"))


def actions_in_group(scope: QuerySet[Action], group: str, *, today: date) -> QuerySet[Action]:
    """One group of `scope`, most pressing first: the longest overdue, the longest blocked, the
    soonest due; the rest by due date, undated last; the finished most recently changed first."""
    queryset = scope.filter(group_condition(group, today)).select_related(
        "case", "lead_organisation"
    )
    if group == BLOCKED:
        return queryset.annotate(blocked_since=_blocked_since()).order_by("blocked_since", "id")
    if group == FINISHED:
        return queryset.order_by("-updated_at", "-id")
    return queryset.order_by(F("due_date").asc(nulls_last=True), "id")


def action_group_counts(
    scope: QuerySet[Action], *, groups: tuple[str, ...], today: date, cap: int | None = None
) -> dict:
    """How many actions each group holds, in one query; with `cap`, counted only up to
    `cap + 1` (a group's count then costs at most that many index rows, whatever the numbers:
    the page says "more than `cap`")."""
    if cap is None:
        aggregates = {group: Count("pk", filter=group_condition(group, today)) for group in groups}
        return scope.aggregate(**aggregates)
    parts, params = [], []
    for group in groups:
        rows = scope.filter(group_condition(group, today)).order_by().values("pk")[: cap + 1]
        try:
            sql, group_params = rows.query.sql_with_params()
        except EmptyResultSet:  # a scope that can hold nothing (no organisation, signed out)
            parts.append("0")
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) AS capped)")
        params.extend(group_params)
    with connections[scope.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return dict(zip(groups, cursor.fetchone(), strict=True))


def invitations_to_answer(user: AnyUser) -> QuerySet[Participation]:
    """Open invitations to an organisation the user administers, oldest first (closed cases'
    invitations wait for no one)."""
    return (
        selectors.invitations_for_user(user)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("invited_at", "id")
    )


def reviews_waiting(user: AnyUser, filters: dict[str, Any] | None = None) -> QuerySet[Measurement]:
    """The review queue, narrowed by the committee's filters."""
    queryset = selectors.measurements_pending_review(user)
    if filters:
        cases = _filtered_cases(Case.objects.all(), filters)
        queryset = queryset.filter(outcome__case__in=cases.values("pk"))
    return queryset


def answer_queryset(user: AnyUser, group: str, filters: dict[str, Any] | None) -> QuerySet:
    if group == INVITATIONS:
        return invitations_to_answer(user)
    return reviews_waiting(user, filters)


def since_last_visit(user: AnyUser, now: datetime) -> datetime | None:
    """What "new" is measured against, read only (the dashboard itself records the visit)."""
    visit = DashboardVisit.objects.filter(user_id=user.pk).first()
    return visit.since(now) if visit is not None else None


# Presentation of one row: its age in words and whether it is new or changed since the visit.


def _days(count: int, one: str, many: str) -> str:
    return ngettext(one, many, count) % {"days": count}


def action_age(action: Action, group: str, today: date) -> str:
    due = action.due_date
    if group == OVERDUE and due is not None:
        return _days((today - due).days, "overdue %(days)d day", "overdue %(days)d days")
    if group == BLOCKED:
        days = (today - timezone.localdate(action.blocked_since)).days
        if days <= 0:
            return _("blocked since today")
        return _days(days, "blocked for %(days)d day", "blocked for %(days)d days")
    if group == FINISHED:
        return action.get_status_display()
    if due is None:
        return _("no due date")
    days = (due - today).days
    if days == 0:
        return _("due today")
    return _days(days, "due in %(days)d day", "due in %(days)d days")


def waiting_age(since: datetime, today: date) -> str:
    days = (today - timezone.localdate(since)).days
    if days <= 0:
        return _("waiting since today")
    return _days(days, "waiting %(days)d day", "waiting %(days)d days")


def change_mark(created: datetime, updated: datetime | None, since: datetime | None) -> str:
    """ "new" if it appeared after `since`, "changed" if it changed after it, else ""."""
    if since is None:
        return ""
    if created > since:
        return "new"
    return "changed" if updated is not None and updated > since else ""


@dataclass
class Group:
    """One group of the list: its rows (already decorated), its total and where "all" is."""

    key: str
    title: str
    rows: list[Any] = field(default_factory=list)
    total: int = 0
    cap: int | None = None  # counted only up to cap + 1: above the cap, "more than {cap}"

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.total > self.cap

    @property
    def more(self) -> bool:
        return self.capped or self.total > len(self.rows)


def groups_total(groups: list[Group]) -> tuple[int, bool]:
    """The groups' total and whether it is a lower bound (a group counted past its cap: the
    page says "more than" the sum of what was counted, each capped group at its cap)."""
    capped = any(group.capped for group in groups)
    total = sum(min(group.total, group.cap) if group.capped else group.total for group in groups)
    return total, capped


def decorate_actions(actions: list[Action], group: str, *, today: date, since: Any) -> list:
    for action in actions:
        action.age = action_age(action, group, today)
        action.mark = change_mark(action.created_at, action.updated_at, since)
    return actions


def decorate_answers(rows: list[Any], group: str, *, today: date, since: Any) -> list:
    for row in rows:
        created = row.invited_at if group == INVITATIONS else row.created_at
        row.age = waiting_age(created, today)
        row.mark = change_mark(created, None, since)
    return rows


def group_titles() -> dict[str, str]:
    return {
        OVERDUE: pgettext("actions", "Overdue"),
        BLOCKED: pgettext("actions", "Blocked"),
        DUE_SOON: _("Due within 14 days"),
        LATER: _("Later or without a due date"),
        FINISHED: _("Done or cancelled"),
        INVITATIONS: _("Invitations to answer"),
        REVIEWS: _("Values waiting for your review"),
    }


def what_needs_me(
    user: AnyUser,
    *,
    since: datetime | None,
    filters: dict[str, Any] | None = None,
    mine_only: bool = False,
    rows: int = GROUP_ROWS,
    exact: bool = False,
) -> list[Group]:
    """The dashboard's groups (or, `mine_only`, those of "My actions"), each with at most `rows`
    rows and its total, counted up to COUNT_CAP (`exact`: whatever the number); a constant
    number of queries, and a cost that does not grow with the numbers of actions and values
    waiting (a count that is not capped reads every row of the group)."""
    cap = None if exact else COUNT_CAP
    today = timezone.localdate()
    titles = group_titles()
    scope = action_scope(user, mine_only=mine_only, filters=filters)
    keys = MY_ACTION_GROUPS if mine_only else ACTION_GROUPS
    counts = action_group_counts(scope, groups=keys, today=today, cap=cap)
    groups = []
    for key in keys:
        actions = list(actions_in_group(scope, key, today=today)[:rows])
        decorated = decorate_actions(actions, key, today=today, since=since)
        groups.append(Group(key, titles[key], decorated, counts[key], cap))
    if not mine_only:
        for key in ANSWER_GROUPS:
            queryset = answer_queryset(user, key, filters)
            decorated = decorate_answers(list(queryset[:rows]), key, today=today, since=since)
            total = (queryset.order_by()[: cap + 1] if cap is not None else queryset).count()
            groups.append(Group(key, titles[key], decorated, total, cap))
    return groups
