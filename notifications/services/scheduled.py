"""Scheduled work: overdue reminders, daily digests and the outbox sweeper."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Action

from ..choices import Channel, DeliveryState, EventKind
from ..folding import Fold, fold
from ..messages import event_message
from ..models import Delivery, Event
from .email import (
    SendResult,
    _claim,
    _finish_failed,
    _item,
    _send,
    expired_claims_release,
    readable_deliveries,
    user_language,
    withhold,
)
from .events import broker_pause_reset, broker_publish, event_record_once
from .queues import fanout_queue_head

logger = logging.getLogger(__name__)


def action_overdue_record(*, action: Action, today: date) -> Event | None:
    """Record that an open action is past its due date: once per action and day at most."""
    return event_record_once(
        dedupe_key=f"{EventKind.ACTION_OVERDUE}:{action.pk}:{today.isoformat()}",
        kind=EventKind.ACTION_OVERDUE,
        actor=None,
        case=action.case,
        target=action,
        payload={
            "title": action.title,
            "lead_organisation": action.lead_organisation_id,
            "due_date": action.due_date.isoformat() if action.due_date else None,
            "day": today.isoformat(),
        },
    )


def overdue_reminders_record(*, today: date) -> int:
    """An overdue event for every open action past its due date; returns how many are new."""
    recorded = 0
    for action in Action.objects.overdue(today).select_related("case"):
        with transaction.atomic():
            recorded += action_overdue_record(action=action, today=today) is not None
    return recorded


def digest_recipient_ids(*, cutoff: datetime) -> list[int]:
    pending = Delivery.objects.filter(
        channel=Channel.DIGEST, state=DeliveryState.PENDING, created_at__lte=cutoff
    )
    return sorted(set(pending.values_list("recipient_id", flat=True)))


def _claim_digest_items(user_id: int, cutoff: datetime) -> list[int]:
    """Claim the user's pending digest items up to the cutoff; later ones wait for the next."""
    with transaction.atomic():
        pending = Delivery.objects.filter(
            channel=Channel.DIGEST,
            recipient_id=user_id,
            state=DeliveryState.PENDING,
            created_at__lte=cutoff,
        )
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        ids = list(pending.values_list("pk", flat=True))
        _claim(ids, Channel.DIGEST, timezone.now())
    return ids


def _readable_items(ids: list[int]) -> list[Delivery]:
    """The claimed items whose case the recipient may still see, checked now rather than when
    the event was fanned out; the others are withheld (ended with the reason, never sent)."""
    deliveries = list(
        readable_deliveries(Delivery.objects.filter(pk__in=ids))
        .select_related("event__case", "event__actor", "recipient")
        .order_by("event__created_at", "pk")
    )
    withhold([d.pk for d in deliveries if not d.case_readable], state=DeliveryState.SENDING)
    return [delivery for delivery in deliveries if delivery.case_readable]


DIGEST_DETAILS = 5  # a folded line shows this many of its items, then "and n more"


def _digest_item(run: Fold[Delivery]) -> dict:
    """A digest line; a burst's line lists its first few items underneath."""
    item: dict = _item(run.event, run.message)
    if run.count > 1:
        shown = run.items[:DIGEST_DETAILS]
        item["details"] = [event_message(delivery.event) for delivery in shown]
        item["more"] = run.count - len(shown)
    return item


def digest_send(*, user_id: int, cutoff: datetime) -> SendResult:
    """One email gathering every item the user chose to get as digest, up to `cutoff`.

    Each item is claimed by this digest before sending, so no item is in two digests; items that
    arrive after the cutoff stay pending for the next; a failed send puts them back to pending;
    items about a case the user may no longer see are left out (withheld).
    """
    ids = _claim_digest_items(user_id, cutoff)
    if not ids:
        return SendResult.SKIPPED
    deliveries = _readable_items(ids)
    if not deliveries:
        return SendResult.WITHHELD
    ids = [delivery.pk for delivery in deliveries]
    recipient = deliveries[0].recipient
    with translation.override(user_language(user_id)):
        runs = fold(deliveries, event_of=lambda delivery: delivery.event)
        items = [_digest_item(run) for run in runs]
        subject = _("Samverkan: your daily digest")
        try:
            _send(recipient.email, subject, "digest", {"items": items})
        except OSError as error:  # smtplib.SMTPException is an OSError
            return _finish_failed(ids, error, max(d.attempts for d in deliveries))
    Delivery.objects.filter(pk__in=ids).update(state=DeliveryState.SENT, sent_at=timezone.now())
    return SendResult.SENT


def _not_waiting_in_the_queue(now: datetime) -> Q | None:
    """Events handed off long ago (NOTIFICATIONS_SWEEP_RESEND) that no longer wait in the fan-out
    queue: published before its oldest message (first in, first out), so a worker took them and
    died, or Redis lost them. None when the queue cannot be read: only failed publishes are
    queued again then."""
    head = fanout_queue_head()
    if not head.known:
        return None
    overdue = Q(handed_off_at__lte=now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_RESEND))
    if head.empty:
        return overdue
    if head.oldest is None:  # another task at the head: its age is unknown, wait for the next
        return None
    # A second's slack for clocks of several web nodes.
    return overdue & Q(handed_off_at__lt=head.oldest - timedelta(seconds=1))


def _claimed_undispatched_events(now: datetime, cutoff: datetime, limit: int) -> list[int]:
    """Events to queue again: those whose publish failed (no hand-off time) and are older than
    the grace, and those handed off that are no longer in the queue (see above)."""
    to_queue = Q(handed_off_at__isnull=True)
    lost = _not_waiting_in_the_queue(now)
    if lost is not None:
        to_queue |= lost
    events = (
        Event.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .filter(to_queue)
        .order_by("created_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        # Two sweepers (two beat hosts, an overlapping run) never take the same rows.
        events = events.select_for_update(skip_locked=True)
    return list(events.values_list("pk", flat=True)[:limit])


def _queue_stale_emails(cutoff: datetime, limit: int, released: list[int]) -> int:
    """Queue pending emails older than `cutoff`, and those just `released` from an expired
    claim whatever their age (their first hand-off happened long ago)."""
    from ..tasks import email_deliveries_send

    stale = Delivery.objects.filter(
        Q(created_at__lte=cutoff) | Q(pk__in=released),
        channel=Channel.EMAIL,
        state=DeliveryState.PENDING,
    ).order_by("created_at", "pk")
    stale_ids = list(stale.values_list("pk", flat=True)[:limit])
    batch = settings.NOTIFICATIONS_EMAIL_BATCH
    for start in range(0, len(stale_ids), batch):
        if not broker_publish(email_deliveries_send.delay, stale_ids[start : start + batch]):
            return start
    return len(stale_ids)


def outbox_sweep(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again what was not handed over: undispatched events and pending email deliveries
    older than the grace period, and emails whose claim outlived NOTIFICATIONS_EMAIL_SEND_LEASE
    (their worker died or lost its broker mid-send): those go back to pending and are queued
    again, at least once, with the same Message-ID. Returns (events, deliveries) queued."""
    from ..tasks import event_dispatch

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE)
    # An email waits out its burst window before it goes (a burst is one email).
    held = max(settings.NOTIFICATIONS_SWEEP_GRACE, settings.NOTIFICATIONS_EMAIL_BURST_WINDOW)
    email_cutoff = now - timedelta(seconds=held)
    limit = settings.NOTIFICATIONS_SWEEP_BATCH
    broker_pause_reset()
    queued: list[int] = []
    with transaction.atomic():
        handed_off = timezone.now()  # the real time, whatever `now` the caller asked about
        for event_id in _claimed_undispatched_events(now, cutoff, limit):
            args = (event_id,), {"handed_off": handed_off.timestamp()}
            if not broker_publish(event_dispatch.apply_async, *args):
                break
            queued.append(event_id)
        Event.objects.filter(pk__in=queued).update(handed_off_at=handed_off)
    if queued:
        logger.warning("The sweeper queued %s events again: %s", len(queued), queued[:20])
    released = expired_claims_release(now=now, limit=limit)
    return len(queued), _queue_stale_emails(email_cutoff, limit, released)
