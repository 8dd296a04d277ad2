"""Reads for open data: only public cases and what belongs to them, the same for everyone.

Every dataset is read in key order after a key (keyset paging), so the last page costs what the
first does. Public cases are read in id order from the partial index `case_public_id`. What
belongs to cases is read by (case id, id): the public cases in id order, each one's rows through
its case index, so restricted cases are never walked (read by its own id, a page would pass over
every restricted case's rows to find the public ones). Each page costs a fixed number of
queries: related rows come with select_related, many-to-many values with one prefetch per page.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

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


CaseKey = tuple[int]
RowKey = tuple[int, int]  # (case id, id)


def public_cases_page(after: CaseKey, limit: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(visibility=PUBLIC, pk__gt=after[0])
        .select_related("theme")
        .prefetch_related(_names_only())
        .order_by("pk")[:limit]
    )


def _after(queryset: QuerySet, case_field: str, after: RowKey) -> QuerySet:
    """Rows after (case id, id).

    The walk over public cases must start at the key's case: the condition is put on the
    joined case's own id, which Django would otherwise move onto the row's foreign key (and
    PostgreSQL does not carry a range across a join, so it would read the public cases from
    the first one on every page).
    """
    case_id, pk = after
    return queryset.filter(
        Q(**{f"{case_field}__gt": case_id}) | Q(**{case_field: case_id, "pk__gt": pk})
    ).extra(where=['"cases_case"."id" >= %s'], params=[case_id])


def public_participations_page(after: RowKey, limit: int) -> QuerySet[Participation]:
    return (
        _after(
            Participation.objects.filter(case__visibility=PUBLIC, state=ParticipationState.ACTIVE),
            "case_id",
            after,
        )
        .select_related("case", "organisation")
        .order_by("case_id", "pk")[:limit]
    )


def public_actions_page(after: RowKey, limit: int) -> QuerySet[Action]:
    return (
        _after(Action.objects.filter(case__visibility=PUBLIC), "case_id", after)
        .select_related("case", "lead_organisation")
        .prefetch_related(Prefetch("contributors", queryset=Organisation.objects.order_by("name")))
        .order_by("case_id", "pk")[:limit]
    )


def public_measurements_page(after: RowKey, limit: int) -> QuerySet[Measurement]:
    """Approved values only: a figure counts once it is approved."""
    return (
        _after(
            Measurement.objects.filter(
                outcome__case__visibility=PUBLIC, review_state=ReviewState.APPROVED
            ),
            "outcome__case_id",
            after,
        )
        .select_related("outcome__case", "organisation")
        .order_by("outcome__case_id", "pk")[:limit]
    )


def public_changes() -> QuerySet[Event]:
    """The newest changes to public cases, read newest first from the events' time index."""
    return (
        Event.objects.filter(case__visibility=PUBLIC, kind__in=FEED_KINDS)
        .select_related("case")
        .order_by("-created_at", "-id")[:FEED_LENGTH]
    )
