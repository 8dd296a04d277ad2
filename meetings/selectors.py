"""Reads about meetings that depend on who asks."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.selectors import user_organisation_ids
from cases.access import AnyUser, visible_cases
from cases.choices import ActionStatus
from cases.models import Action, Case

from . import access
from .choices import ItemState
from .models import AgendaItem, CalendarFeed, Meeting, MinutesVersion

AGENDA_LIMIT = 200  # items shown of one meeting's agenda at most
FEED_LIMIT = 500  # entries of each kind in a calendar feed
FEED_PAST = timedelta(days=92)
FEED_FUTURE = timedelta(days=730)
UPCOMING_LIMIT = 10


def meeting_list_for_user(user: AnyUser) -> QuerySet[Meeting]:
    """Newest first (index `meeting_newest`); nothing for those who may not see meetings."""
    if not access.can_view_meetings(user):
        return Meeting.objects.none()
    return Meeting.objects.order_by("-starts_at", "-id")


def meeting_get_for_user(user: AnyUser, pk: int) -> Meeting:
    meeting = meeting_list_for_user(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def meetings_open_for_proposals() -> QuerySet[Meeting]:
    """The coming meetings, soonest first: where a coordinator's proposal may go."""
    return Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at", "id")[
        :UPCOMING_LIMIT
    ]


def items_for_user(user: AnyUser, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's items the user may see (items about a case they may not see do not exist
    for them), in agenda order, each with its minutes' versions newest first."""
    cases = visible_cases(user).values("pk")
    return (
        meeting.items.filter(Q(case__isnull=True) | Q(case__in=cases))
        .select_related("case", "proposed_by")
        .prefetch_related(
            Prefetch(
                "minutes",
                queryset=MinutesVersion.objects.select_related(
                    "written_by", "adjusted_by"
                ).order_by("-number"),
            )
        )
        .order_by("position", "id")[:AGENDA_LIMIT]
    )


def item_get_for_user(user: AnyUser, pk: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting", "case").filter(pk=pk).first()
    if item is None or not access.can_view_meetings(user) or not access.can_view_item(user, item):
        raise Http404
    return item


def item_proposals_for_user(user: AnyUser, item_id: int) -> AgendaItem:
    """An item the user proposed (a coordinator outside the secretariat sees their own)."""
    item = AgendaItem.objects.select_related("meeting", "case").filter(pk=item_id).first()
    if item is None or not (item.proposed_by_id == user.pk or access.can_view_meetings(user)):
        raise Http404
    return item


def minutes_version_get_for_user(user: AnyUser, pk: int) -> MinutesVersion:
    version = MinutesVersion.objects.select_related("item__meeting", "item__case").filter(pk=pk)
    found = version.first()
    if (
        found is None
        or not access.can_view_meetings(user)
        or not access.can_view_item(user, found.item)
    ):
        raise Http404
    return found


def live_calendar_feed(user: AnyUser) -> CalendarFeed | None:
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_owner(token: str) -> AnyUser:
    """The live feed's owner, or 404 (an unknown or revoked address)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    return feed.user


def feed_actions(user: AnyUser) -> list[Action]:
    """Open actions with a due date that the user's organisations lead or contribute to, in the
    cases the user may see; from three months back, soonest first, bounded."""
    organisations = user_organisation_ids(user)
    if not organisations:
        return []
    today = timezone.localdate()
    ours = Q(lead_organisation_id__in=organisations) | Q(contributors__in=organisations)
    return list(
        Action.objects.filter(ours)
        .filter(
            case__in=visible_cases(user, Case.objects.all()).values("pk"),
            due_date__gte=today - FEED_PAST,
            due_date__lte=today + FEED_FUTURE,
        )
        .exclude(status__in=(ActionStatus.DONE, ActionStatus.CANCELLED))
        .select_related("case")
        .distinct()
        .order_by("due_date", "id")[:FEED_LIMIT]
    )


def feed_meetings(user: AnyUser) -> list[Meeting]:
    """The meetings the user is expected at, while they may see meetings."""
    if not access.can_view_meetings(user):
        return []
    now = timezone.now()
    return list(
        Meeting.objects.filter(
            expected_members=user,
            starts_at__gte=now - FEED_PAST,
            starts_at__lte=now + FEED_FUTURE,
        ).order_by("starts_at", "id")[:FEED_LIMIT]
    )


def agenda_for_email(meeting: Meeting) -> list[AgendaItem]:
    """The agenda as sent to the members (committee members see every case)."""
    return list(
        meeting.items.filter(state=ItemState.ON_AGENDA)
        .select_related("case")
        .order_by("position", "id")[:AGENDA_LIMIT]
    )
