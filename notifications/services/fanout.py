"""Fan-out: one event becomes one inbox notification per recipient, plus email deliveries.

Safe to run twice for the same event: the event row is locked while it is fanned out, and the
unique constraints on (event, recipient) and (event, channel, recipient) make a rerun write
nothing new.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.choices import MembershipRole
from agencies.models import Membership
from cases import access
from cases.models import Action, Case, Participation
from config import request_id

from ..choices import Ask, Channel, EmailMode, EventKind
from ..models import CaseFollow, Event, NotificationPreference
from ..preferences import default_mode
from ..registry import registered_recipients
from .bulk import deliveries_insert, notifications_insert, pending_email_ids

logger = logging.getLogger(__name__)

PARTICIPATION_KINDS = {
    EventKind.PARTICIPATION_INVITED,
    EventKind.PARTICIPATION_ACCEPTED,
    EventKind.PARTICIPATION_DECLINED,
    EventKind.PARTICIPATION_WITHDRAWN,
}
# Events the invited organisation's admins receive although the case is not (yet) theirs.
INVITATION_KINDS = {EventKind.PARTICIPATION_INVITED, EventKind.INVITATION_WITHDRAWN}


def _action_organisations_and_assignee(action_id: int | None) -> tuple[set[int], int | None]:
    row = Action.objects.filter(pk=action_id).values_list("lead_organisation_id", "assignee_id")
    found = row.first()
    if found is None:
        return set(), None
    contributors = Action.contributors.through.objects.filter(action_id=action_id)
    organisations = {found[0], *contributors.values_list("organisation_id", flat=True)}
    return organisations, found[1]


def _organisations_concerned(event: Event) -> tuple[set[int], int | None]:
    """The organisations an event concerns, and the assignee of its action if any."""
    payload = event.payload or {}
    if event.object_type == "action":
        return _action_organisations_and_assignee(event.object_id)
    if event.kind == EventKind.CASE_STATUS_CHANGED:
        return set(access.active_participant_ids(event.case)), None
    if isinstance(payload.get("organisation"), int):
        return {payload["organisation"]}, None
    return set(), None


def _candidate_ids(event: Event, case: Case) -> set[int]:
    organisations, assignee_id = _organisations_concerned(event)
    candidates = set(CaseFollow.objects.filter(case=case).values_list("user_id", flat=True))
    contacts = Participation.objects.filter(
        case=case, organisation_id__in=organisations, contact_person__isnull=False
    ).values_list("contact_person_id", flat=True)
    candidates.update(contacts)
    candidates.update(user_id for user_id in (case.coordinator_id, assignee_id) if user_id)
    reporter = (event.payload or {}).get("reported_by")
    if event.object_type == "measurement" and isinstance(reporter, int):
        candidates.add(reporter)  # the reporter hears how their value was reviewed
    return candidates


def _invited_admins(event: Event) -> set[int]:
    """An invitation goes to the invited organisation's admins, who answer it (and who may see
    the invitation although the restricted case is not yet theirs)."""
    if event.kind not in INVITATION_KINDS:
        return set()
    admins = Membership.objects.filter(
        organisation_id=(event.payload or {}).get("organisation"), role=MembershipRole.ADMIN
    )
    return set(admins.values_list("user_id", flat=True))


def event_recipients(event: Event) -> dict[int, str]:
    """Recipient id -> email address: the coordinator, followers, the assignee and the contact
    persons of the organisations concerned; never the actor, never someone who cannot see it."""
    case = event.case
    registered = registered_recipients(event)
    if case is None:
        addressed = registered - {event.actor_id}
        users = get_user_model().objects.filter(pk__in=addressed, is_active=True)
        return dict(users.values_list("pk", "email"))
    invited = _invited_admins(event)
    candidates = (_candidate_ids(event, case) | invited | registered) - {event.actor_id}
    users = get_user_model().objects.filter(pk__in=candidates, is_active=True)
    seeing = access.users_who_can_view_case(case, users)
    recipients = dict(seeing.values_list("pk", "email"))
    if invited - recipients.keys():
        recipients.update(users.filter(pk__in=invited).values_list("pk", "email"))
    return recipients


def _reviewers(event: Event, user_ids: list[int]) -> set[int]:
    """Who of `user_ids` reviews the event's submitted value: the coordinator, the committee."""
    if (event.payload or {}).get("review_state") != "submitted":
        return set()
    committee = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=settings.COMMITTEE_GROUP), pk__in=user_ids
    )
    return {event.case.coordinator_id, *committee.values_list("pk", flat=True)}


def event_asks(event: Event, user_ids: list[int]) -> dict[int, str]:
    """Recipient id -> what the event asks of them (an `Ask`), for those it asks something of:
    admins answer their organisation's invitation, an assignee does the action, a reviewer
    reviews a submitted value, a reporter corrects a returned one."""
    payload = event.payload or {}
    asked: set[int] = set()
    ask = ""
    if event.kind == EventKind.PARTICIPATION_INVITED:
        ask, asked = Ask.INVITATION, _invited_admins(event)
    elif event.kind == EventKind.ACTION_ASSIGNED:
        ask, asked = Ask.ASSIGNMENT, {payload.get("assignee")}
    elif event.kind in (EventKind.MEASUREMENT_REPORTED, EventKind.MEASUREMENT_CORRECTED):
        ask, asked = Ask.REVIEW, _reviewers(event, user_ids)
    elif event.kind == EventKind.MEASUREMENT_RETURNED:
        ask, asked = Ask.RETURNED, {payload.get("reported_by")}
    return {user_id: ask for user_id in user_ids if user_id in asked}


def _email_modes(event: Event, user_ids: list[int]) -> dict[int, str]:
    """Each user's mode for this event: their choice for what it asks of them, if it asks
    something, else for its kind; the default where they made none."""
    asks = event_asks(event, user_ids)
    keys = {asks.get(user_id, event.kind) for user_id in user_ids}
    chosen = NotificationPreference.objects.filter(user_id__in=user_ids, kind__in=keys)
    modes = {
        (user_id, key): mode
        for user_id, key, mode in chosen.values_list("user_id", "kind", "email")
    }
    result = {}
    for user_id in user_ids:
        key = asks.get(user_id, event.kind)
        result[user_id] = modes.get((user_id, key), default_mode(key))
    return result


def _delivery_channels(event: Event, recipients: dict[int, str]) -> dict[int, str]:
    """Recipient id -> email channel (now or in the digest), for those who want email."""
    channels = {EmailMode.IMMEDIATELY: Channel.EMAIL, EmailMode.DIGEST: Channel.DIGEST}
    with_address = [user_id for user_id, email in recipients.items() if email]
    return {
        user_id: channels[mode]
        for user_id, mode in _email_modes(event, with_address).items()
        if mode in channels
    }


def _commit_without_waiting_for_disk() -> None:
    """This transaction's commit need not wait for the WAL flush (PostgreSQL).

    Safe because the outbox row is the source of truth: if the database crashed before the flush,
    the whole fan-out (notifications, deliveries, `dispatched_at`) is lost together and the
    sweeper runs it again. No email goes out for a lost fan-out either: an email is sent only
    after its delivery's claim committed, and that synchronous commit flushes the WAL up to and
    including this transaction. It spares the disk wait that dominates a large fan-out.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _fan_out(event: Event) -> list[int]:
    """Write the locked, undispatched event's rows and mark it dispatched (one transaction)."""
    from ..webhooks.services import webhook_deliveries_for_event

    _commit_without_waiting_for_disk()
    recipients = event_recipients(event)
    now = timezone.now()
    notifications_insert(event.pk, list(recipients), now)
    to_send = deliveries_insert(event.pk, _delivery_channels(event, recipients), now)
    webhook_deliveries_for_event(event.pk)
    Event.objects.filter(pk=event.pk).update(dispatched_at=now)
    logger.debug("Fanned out event %s to %s recipients", event.pk, len(recipients))
    return to_send


def event_fan_out(*, event_id: int) -> list[int]:
    """Write the event's notifications and deliveries once; return the email deliveries still
    to send (also after a rerun, so a send lost with a crashed worker is queued again).

    1. Lock the event row: a concurrent run of the same event waits, then finds it dispatched.
    2. Resolve recipients, bulk-write notifications and deliveries (conflicts ignored).
    3. Let the webhook channel create its deliveries in the same transaction.
    4. Mark the event dispatched; the sweeper leaves it alone from then on.

    The lock is released at commit, and only then are emails queued (by the task).
    """
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(of=("self",))
            .select_related("case")
            .filter(pk=event_id)
            .first()
        )
        if event is None:
            return []
        if event.dispatched_at is not None:  # a rerun: what is still pending is sent again
            return pending_email_ids(event_id)
        return _fan_out(event)


def _next_waiting(before: datetime, skip: set[int]) -> Event | None:
    """The oldest event still waiting for its fan-out that no other worker holds (its row lock
    is skipped, not waited for); served by the partial index on undispatched events."""
    waiting = (
        Event.objects.filter(dispatched_at__isnull=True, created_at__lte=before)
        .exclude(pk__in=skip)
        .select_related("case")
        .order_by("created_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(of=("self",), skip_locked=True)
    return waiting.first()


def events_fan_out_waiting(*, limit: int) -> Iterator[list[int]]:
    """Fan out up to `limit` events that wait for theirs, oldest first, each in its own
    transaction; yield each one's email deliveries to send once it has committed.

    With a backlog, one task thus drains many events at the database's pace instead of one per
    broker round trip; two workers draining at once take different rows (skip locked). Their own
    messages, still queued, later find them dispatched and cost one query each. An event whose
    fan-out fails is logged and left to the sweeper: it never stops the others.
    """
    started, skip = timezone.now(), set[int]()
    for _ in range(limit):
        event_id, to_send = None, []
        try:
            with transaction.atomic():
                event = _next_waiting(started, skip)
                if event is None:
                    return
                event_id, event_request_id = event.pk, event.request_id
                # Each drained event logs under the request that made its change, not the first's.
                with request_id.bound(event_request_id):
                    to_send = _fan_out(event)
        except Exception:
            if event_id is None:
                raise
            logger.exception("Fan-out of event %s failed; the sweeper will try again", event_id)
            skip.add(event_id)
            continue
        with request_id.bound(event_request_id):  # its emails are queued under it too
            yield to_send
