"""Every read of decisions that depends on who asks. A decision is as visible as its case:
public with a public case, else only to those who see the case (others get 404)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from agencies.selectors import user_organisation_ids
from cases import access
from cases.access import AnyUser
from cases.choices import ParticipationState
from cases.models import Case, Participation
from meetings.models import Meeting

from .models import Decision

CASE_PAGE_DECISIONS = 5  # the newest on the case page; the register has the rest
MEETING_CHOICES = 20  # the newest meetings offered when recording a decision
MEETING_CHOICE_DAYS = 365
DELEGATE_CHOICES = 200  # a committee is a few dozen people; the list is bounded all the same


def _names_visible(user: AnyUser) -> Value | Q:
    """Whether the viewer reads people's names on each decision's case: the committee, the
    coordinator and members of its participating organisations (as `privacy.people.sees_names`,
    computed in the query so that a list costs one query)."""
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    if access.is_committee(user):
        return Value(True, output_field=BooleanField())
    participating = Participation.objects.filter(
        case=OuterRef("case_id"),
        organisation_id__in=user_organisation_ids(user),
        state=ParticipationState.ACTIVE,
    )
    return Q(case__coordinator=user) | Q(Exists(participating))


def decision_queryset(user: AnyUser) -> QuerySet[Decision]:
    """The decisions `user` may read, with what a list or a page shows."""
    queryset = Decision.objects.all()
    if not access.is_committee(user):
        queryset = queryset.filter(case_id__in=access.visible_cases(user).values("pk"))
    return queryset.select_related("case", "meeting", "delegate", "revokes", "revoked_by").annotate(
        names_visible=_names_visible(user)
    )


def decision_list_for_user(
    user: AnyUser, *, year: int | None = None, case: Case | None = None
) -> QuerySet[Decision]:
    """The register: newest first, by year and number (the unique index read backwards)."""
    queryset = decision_queryset(user)
    if year is not None:
        queryset = queryset.filter(year=year)
    if case is not None:
        queryset = queryset.filter(case=case)
    return queryset.order_by("-year", "-number")


def decision_get_for_user(user: AnyUser, *, year: int, number: int) -> Decision:
    decision = decision_queryset(user).filter(year=year, number=number).first()
    if decision is None:
        raise Http404("No such decision")
    return decision


def decision_get_by_id_for_user(user: AnyUser, *, pk: int) -> Decision:
    decision = decision_queryset(user).filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision")
    return decision


def case_decisions(user: AnyUser, case: Case) -> list[Decision]:
    """The newest decisions on a case the user was allowed to see (one query)."""
    rows = (
        Decision.objects.filter(case=case)
        .select_related("meeting", "delegate", "revokes", "revoked_by")
        .annotate(names_visible=_names_visible(user))
        .order_by("-year", "-number")
    )
    return list(rows[:CASE_PAGE_DECISIONS])


def _first(queryset: QuerySet, limit: int) -> QuerySet:
    """The first `limit` rows, as a queryset a form field can still look a choice up in."""
    return queryset.filter(pk__in=queryset.values("pk")[:limit])


def recent_meetings() -> QuerySet[Meeting]:
    """Meetings a decision may have been taken at: the last year's, up to today, newest first."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    ends = timezone.make_aware(datetime.combine(tomorrow, time.min))
    meetings = Meeting.objects.filter(
        starts_at__lt=ends, starts_at__gte=ends - timedelta(days=MEETING_CHOICE_DAYS)
    ).order_by("-starts_at", "-pk")
    return _first(meetings, MEETING_CHOICES)


def committee_members() -> QuerySet:
    """Who may be named a delegate: the committee's active members, by name."""
    members = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=settings.COMMITTEE_GROUP)
        .order_by("first_name", "last_name", "pk")
    )
    return _first(members, DELEGATE_CHOICES)


def revocable_decisions(case: Case) -> QuerySet[Decision]:
    """The case's decisions not yet revoked, newest first."""
    decisions = Decision.objects.filter(case=case, revoked_by__isnull=True).order_by(
        "-year", "-number"
    )
    return _first(decisions, DELEGATE_CHOICES)
