"""Reads for open data: only public cases and what belongs to them, the same for everyone.

Every dataset is read in primary-key order after a key (keyset paging): a page is
`WHERE pk > after … ORDER BY pk LIMIT n`, served by the primary key index (public cases by the
partial index `case_public_id`), so the last page costs what the first does. Each page costs a
fixed number of queries: related rows come with select_related, many-to-many values with one
prefetch per page.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agencies.models import Organisation
from cases.choices import ParticipationState, ReviewState, Visibility
from cases.models import Action, Case, Measurement, Participation
from notifications.choices import EventKind
from notifications.models import Event

PUBLIC = Visibility.PUBLIC

# Changes shown in the public feed. Unreviewed figures, invitations not yet answered and
# reminders say nothing the open data holds, so they stay out.
FEED_KINDS = (
    EventKind.CASE_CREATED,
    EventKind.CASE_UPDATED,
    EventKind.CASE_STATUS_CHANGED,
    EventKind.PARTICIPATION_ACCEPTED,
    EventKind.PARTICIPATION_WITHDRAWN,
    EventKind.ACTION_CREATED,
    EventKind.ACTION_STATUS_CHANGED,
    EventKind.ACTION_BLOCKED,
    EventKind.ACTION_UNBLOCKED,
    EventKind.MEASUREMENT_APPROVED,
    EventKind.MEASUREMENT_CORRECTED,
    EventKind.OUTCOME_TARGET_REACHED,
    EventKind.OUTCOME_TARGET_NO_LONGER_REACHED,
    EventKind.OUTCOME_ARCHIVED,
    EventKind.OUTCOME_REMOVED,
)
FEED_LENGTH = 50


def _names_only() -> Prefetch:
    return Prefetch("scope_areas", queryset=Organisation.objects.order_by("name"))


def public_cases_page(after: int, limit: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(visibility=PUBLIC, pk__gt=after)
        .select_related("theme")
        .prefetch_related(_names_only())
        .order_by("pk")[:limit]
    )


def public_participations_page(after: int, limit: int) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(
            case__visibility=PUBLIC, state=ParticipationState.ACTIVE, pk__gt=after
        )
        .select_related("case", "organisation")
        .order_by("pk")[:limit]
    )


def public_actions_page(after: int, limit: int) -> QuerySet[Action]:
    return (
        Action.objects.filter(case__visibility=PUBLIC, pk__gt=after)
        .select_related("case", "lead_organisation")
        .prefetch_related(Prefetch("contributors", queryset=Organisation.objects.order_by("name")))
        .order_by("pk")[:limit]
    )


def public_measurements_page(after: int, limit: int) -> QuerySet[Measurement]:
    """Approved values only: a figure counts once it is approved."""
    return (
        Measurement.objects.filter(
            outcome__case__visibility=PUBLIC, review_state=ReviewState.APPROVED, pk__gt=after
        )
        .select_related("outcome__case", "organisation")
        .order_by("pk")[:limit]
    )


def public_changes() -> QuerySet[Event]:
    """The newest changes to public cases, read newest first from the events' time index."""
    return (
        Event.objects.filter(case__visibility=PUBLIC, kind__in=FEED_KINDS)
        .select_related("case")
        .order_by("-created_at", "-id")[:FEED_LENGTH]
    )
