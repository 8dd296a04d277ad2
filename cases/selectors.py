"""Every read of cases that depends on who asks. Invisible objects raise Http404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.selectors import user_admin_organisation_ids, user_organisation_ids

from . import access
from .access import AnyUser
from .choices import OPEN_ACTION_STATUSES, CaseStatus, ParticipationState, ReviewState
from .history import TimelineCursor, TimelinePage, case_timeline_page
from .models import Action, ActionUpdate, Case, Measurement, Outcome, Participation


def case_list_for_user(user: AnyUser, *, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """Cases the user may see, with what a list shows, filtered by status, theme, area, text."""
    queryset = access.visible_cases(user).select_related("theme", "coordinator")
    return case_list_filter(queryset, filters or {})


def case_list_filter(queryset: QuerySet[Case], filters: dict[str, Any]) -> QuerySet[Case]:
    """Narrow a list of cases by status, theme (slug), visibility, area, organisation or text."""
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("theme"):
        queryset = queryset.filter(theme__slug=filters["theme"])
    if filters.get("visibility"):
        queryset = queryset.filter(visibility=filters["visibility"])
    if filters.get("region_code"):
        queryset = queryset.filter(
            Q(scope_areas__region_code=filters["region_code"]) | Q(is_national=True)
        ).distinct()
    if filters.get("organisation"):
        queryset = queryset.filter(
            participations__organisation_id=filters["organisation"],
            participations__state=ParticipationState.ACTIVE,
        )
    if filters.get("q"):
        text = filters["q"]
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(reference__icontains=text)
        )
    return queryset


def case_get_for_user(
    user: AnyUser, *, pk: int | None = None, reference: str | None = None
) -> Case:
    lookup = {"pk": pk} if pk is not None else {"reference": reference}
    case = (
        Case.objects.select_related("theme", "coordinator", "created_by").filter(**lookup).first()
    )
    if case is None or not access.can_view_case(user, case):
        raise Http404("No such case")
    return case


def case_participations(case: Case) -> QuerySet[Participation]:
    return case.participations.select_related("organisation", "contact_person").order_by(
        "role", "organisation__name"
    )


def action_queryset() -> QuerySet[Action]:
    return Action.objects.select_related("case", "lead_organisation", "assignee").prefetch_related(
        "contributors",
        Prefetch("depends_on", queryset=Action.objects.select_related("lead_organisation")),
    )


def case_actions(case: Case) -> QuerySet[Action]:
    return action_queryset().filter(case=case)


def action_list_for_user(user: AnyUser) -> QuerySet[Action]:
    return action_queryset().filter(case__in=access.visible_cases(user))


def action_get_for_user(user: AnyUser, *, pk: int) -> Action:
    action = action_queryset().filter(pk=pk).first()
    if action is None or not access.can_view_case(user, action.case):
        raise Http404("No such action")
    return action


def my_organisations_action_ids(user: AnyUser) -> QuerySet:
    """Ids of the actions the user's organisations lead or contribute to, as a UNION of two
    indexed id sets (Action.lead_organisation, the contributors' through table by organisation):
    an OR across the join, with DISTINCT, made PostgreSQL scan every action."""
    organisation_ids = user_organisation_ids(user)
    led = Action.objects.filter(lead_organisation_id__in=organisation_ids).values("pk")
    contributed = Action.contributors.through.objects.filter(
        organisation_id__in=organisation_ids
    ).values("action_id")
    # No ORDER BY inside the parts (Action is ordered by default): a set needs none.
    return led.order_by().union(contributed.order_by())


def actions_of_my_organisations(user: AnyUser) -> QuerySet[Action]:
    """Actions the user's organisations lead or contribute to, soonest due first."""
    return (
        action_list_for_user(user)
        .filter(pk__in=my_organisations_action_ids(user))
        .order_by("due_date", "id")
    )


def overdue_actions(user: AnyUser) -> QuerySet[Action]:
    return actions_of_my_organisations(user).filter(
        due_date__lt=timezone.localdate(), status__in=OPEN_ACTION_STATUSES
    )


def action_updates(action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.select_related("author")


def outcome_queryset() -> QuerySet[Outcome]:
    """Outcomes with their values that still stand (withdrawn ones only live in history)."""
    return Outcome.objects.select_related("case").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.exclude(review_state=ReviewState.WITHDRAWN)
            .select_related("organisation")
            .order_by("measured_on", "id"),
        )
    )


def case_outcomes(case: Case) -> QuerySet[Outcome]:
    """The case's current outcomes (archived ones are left out of the page)."""
    return outcome_queryset().filter(case=case, archived_at__isnull=True)


def counted_measurements(outcome: Outcome) -> list[Measurement]:
    """The values that count, oldest first: the approved ones (uses the prefetched rows)."""
    return [m for m in outcome.measurements.all() if m.counts]


def measurement_queryset() -> QuerySet[Measurement]:
    return Measurement.objects.select_related(
        "outcome", "outcome__case", "organisation", "reported_by", "reviewed_by"
    )


def measurement_get_for_user(user: AnyUser, *, pk: int) -> Measurement:
    """A value is visible to whoever sees its case."""
    measurement = measurement_queryset().filter(pk=pk).first()
    if measurement is None or not access.can_view_case(user, measurement.outcome.case):
        raise Http404("No such measurement")
    return measurement


def outcome_measurements(
    outcome: Outcome, *, review_state: str | None = None
) -> QuerySet[Measurement]:
    """An outcome's values oldest first, all review states unless one is asked for."""
    queryset = measurement_queryset().filter(outcome=outcome).order_by("measured_on", "id")
    return queryset.filter(review_state=review_state) if review_state else queryset


def measurements_pending_review(user: AnyUser) -> QuerySet[Measurement]:
    """Submitted values the user is to approve or return, oldest report first; values of
    closed cases and archived outcomes are left out, since nobody can act on them any more,
    except the values asked for after closing (effect follow-ups: `access`)."""
    closed = Q(outcome__case__status=CaseStatus.CLOSED)
    answers = access.answers_after_closing()
    return (
        measurement_queryset()
        .filter(
            review_state=ReviewState.SUBMITTED,
            outcome__case__in=access.cases_reviewed_by(user).values("pk"),
            outcome__archived_at__isnull=True,
        )
        .exclude(closed if answers is None else closed & ~answers)
        .order_by("created_at", "id")
    )


def outcome_list_for_user(user: AnyUser) -> QuerySet[Outcome]:
    return outcome_queryset().filter(case__in=access.visible_cases(user))


def action_updates_for_user(user: AnyUser, *, action: Action) -> QuerySet[ActionUpdate]:
    if not access.can_view_case(user, action.case):
        raise Http404("No such action")
    return action_updates(action)


def outcome_get_for_user(user: AnyUser, *, pk: int, values: bool = True) -> Outcome:
    """The outcome, with its standing values unless `values` is False (a page of its values
    reads them itself: prefetching an outcome's thousand values to show 25 costs 40 times
    more)."""
    queryset = outcome_queryset() if values else Outcome.objects.select_related("case")
    outcome = queryset.filter(pk=pk).first()
    if outcome is None or not access.can_view_case(user, outcome.case):
        raise Http404("No such outcome")
    return outcome


def outcome_progress(outcome: Outcome) -> dict[str, Any]:
    """Latest approved value and the share of the way from baseline to target (uses prefetched
    rows): a value waiting for review does not move the figure."""
    measurements = counted_measurements(outcome)
    latest = max(measurements, key=lambda m: (m.measured_on, m.pk), default=None)
    return progress_from(outcome, latest)


def progress_from(outcome: Outcome, latest: Measurement | None) -> dict[str, Any]:
    """The progress figures given the latest approved value (None: no value counts yet)."""
    progress = outcome.progress_of(latest.value) if latest else None
    return {
        "latest_value": latest.value if latest else None,
        "latest_date": latest.measured_on if latest else None,
        "progress": progress,
        "target_reached": progress is not None and progress >= 1,
    }


def participation_get_for_user(user: AnyUser, *, pk: int) -> Participation:
    """A participation is visible to whoever sees its case, and to the invited organisation's
    members while the invitation is open; a declined or withdrawn one is a 404 to them."""
    participation = (
        Participation.objects.select_related("case", "organisation", "contact_person")
        .filter(pk=pk)
        .first()
    )
    if participation is None or not access.can_view_participation(user, participation):
        raise Http404("No such participation")
    return participation


def invitations_for_user(user: AnyUser) -> QuerySet[Participation]:
    """Open invitations that the user, as an organisation admin, may answer: an answered one
    leaves the list (it may still be changed from its page), and so does a closed case's."""
    return (
        Participation.objects.filter(
            organisation_id__in=user_admin_organisation_ids(user),
            state=ParticipationState.INVITED,
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "organisation")
    )


def case_overview_get_for_user(
    user: AnyUser, *, pk: int | None = None, reference: str | None = None
) -> Case:
    """A case's overview (and participants): for whoever sees the case, and for the members of
    an organisation invited to it while it decides (`access.can_view_case_overview`)."""
    lookup = {"pk": pk} if pk is not None else {"reference": reference}
    case = Case.objects.select_related("theme", "coordinator").filter(**lookup).first()
    if case is None or not access.can_view_case_overview(user, case):
        raise Http404("No such case")
    return case


def invitation_participants(case: Case, invitation: Participation) -> list[Participation]:
    """Who takes part or is invited, as the invitation's page lists them (and the invitation
    itself, whatever its state); one query."""
    rows = [
        row
        for row in case_participations(case)
        if row.state in access.CURRENT_PARTICIPATION_STATES or row.pk == invitation.pk
    ]
    for row in rows:
        row.case = case
    return rows


def case_timeline_for_user(
    user: AnyUser, *, case: Case, size: int, before: TimelineCursor | None = None
) -> TimelinePage:
    """One page of the case's timeline, newest first, older than `before`: read from the
    database in order and cut there, whatever the length of the case's history."""
    if not access.can_view_case(user, case):
        raise Http404("No such case")
    return case_timeline_page(case, size=size, before=before)


def case_counts_by_status(user: AnyUser) -> dict[str, int]:
    rows = access.visible_cases(user).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


# Reads of the web pages (added with the web interface; the functions above are unchanged).


def my_cases(user: AnyUser) -> QuerySet[Case]:
    """Cases the user works on: coordinates, registered, follows, or takes part in.

    The four reasons are a UNION of id sets, each read through its own index; an OR across the
    joins to follows and participations would make the database read every case."""
    reasons = [
        Case.objects.filter(coordinator=user).values("pk"),
        Case.objects.filter(created_by=user).values("pk"),
        Case.follows.rel.related_model.objects.filter(user=user).values("case_id"),
        Participation.objects.filter(
            organisation_id__in=user_organisation_ids(user), state=ParticipationState.ACTIVE
        ).values("case_id"),
    ]
    mine = reasons[0].order_by().union(*(reason.order_by() for reason in reasons[1:]))
    ids = access.visible_cases(user).filter(pk__in=mine).values("pk")
    return Case.objects.filter(pk__in=ids).select_related("theme", "coordinator")


def case_list_filtered(user: AnyUser, *, filters: dict[str, Any]) -> QuerySet[Case]:
    """`case_list_for_user` plus the municipality filter of the case list page."""
    queryset = case_list_for_user(user, filters=filters)
    if filters.get("municipality"):
        queryset = queryset.filter(
            Q(scope_areas=filters["municipality"]) | Q(is_national=True)
        ).distinct()
    return queryset


def organisation_cases_for_user(user: AnyUser, *, organisation_id: int) -> QuerySet[Case]:
    """The cases an organisation actively takes part in, as far as the user may see them."""
    ids = Participation.objects.filter(
        organisation_id=organisation_id, state=ParticipationState.ACTIVE
    ).values("case_id")
    return access.visible_cases(user).filter(pk__in=ids).select_related("theme")


def measurement_review_states(ids: list[int]) -> dict[int, str]:
    """Each of these measurements' review state (submitted, approved, returned, withdrawn)."""
    return dict(Measurement.objects.filter(pk__in=ids).values_list("pk", "review_state"))
