"""The email channel: each delivery sent at least once (see below), in the recipient's language;
a burst of one kind on one case for one recipient (NOTIFICATIONS_EMAIL_BURST_WINDOW) goes as one
email.

A delivery is claimed with a conditional UPDATE (pending -> sending) before the message goes out;
a redelivered task finds nothing to claim. A claim is a lease (NOTIFICATIONS_EMAIL_SEND_LEASE):
one whose worker died or was cut off goes back to pending in the sweeper and is sent again with
the same Message-ID, so delivery is at least once. Transient failures (the mail server is away or
says 4xx) put the delivery back to pending for a retry; permanent ones (5xx, a refused address)
and the last allowed attempt end it as failed, with the error kept.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..choices import Channel, DeliveryState
from ..folding import fold
from ..messages import absolute_url, actor_name, event_message, event_path, preferences_path
from ..models import Delivery, Event, NotificationSettings
from ..registry import registered_email_extra
from ..selectors import readable_case_flag

logger = logging.getLogger(__name__)


class SendResult(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # someone else claimed it, or it was already sent
    WITHHELD = "withheld"  # the recipient may no longer see the case: never sent, reason kept
    RETRY = "retry"
    FAILED = "failed"


def user_language(user_id: int) -> str:
    chosen = NotificationSettings.objects.filter(user_id=user_id).values_list("language", flat=True)
    return chosen.first() or "sv"


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def _claim(delivery_ids: list[int], channel: str, now: datetime) -> int:
    return Delivery.objects.filter(
        pk__in=delivery_ids, channel=channel, state=DeliveryState.PENDING
    ).update(state=DeliveryState.SENDING, attempts=F("attempts") + 1, claimed_at=now)


def expired_claims_release(*, now: datetime, limit: int) -> list[int]:
    """Put claims older than the lease back to pending (email and digest items alike): their
    worker died or lost its broker between claim and send. Returns the released ids.

    The rows are locked (skip_locked: a second sweeper takes others) and the UPDATE stays
    conditional on the claim being the expired one, so a worker finishing just now keeps its own.
    """
    expired = now - timedelta(seconds=settings.NOTIFICATIONS_EMAIL_SEND_LEASE)
    with transaction.atomic():
        stuck = Delivery.objects.filter(
            state=DeliveryState.SENDING, claimed_at__lte=expired
        ).order_by("claimed_at", "pk")
        if db_connection.features.has_select_for_update_skip_locked:
            stuck = stuck.select_for_update(skip_locked=True)
        ids = list(stuck.values_list("pk", flat=True)[:limit])
        released = Delivery.objects.filter(
            pk__in=ids, state=DeliveryState.SENDING, claimed_at__lte=expired
        ).update(state=DeliveryState.PENDING)
    if released:
        logger.warning("Released %s email deliveries whose claim expired: %s", released, ids)
    return ids


SUBJECT_LENGTH = 150
BURST_LIMIT = 500  # deliveries in one email at most; the rest go in the next

WITHHELD_ERROR = "Withheld: the recipient may no longer see the case."


def readable_deliveries(queryset: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """`queryset` with `case_readable`: may the recipient still see the event's case, now, at
    send time (they may have left it since the fan-out chose them)? One query for the batch."""
    return queryset.annotate(case_readable=readable_case_flag("recipient_id", "event"))


def withhold(delivery_ids: list[int], *, state: str) -> int:
    """End deliveries about a case their recipient may no longer see: not sent, the reason kept
    (nothing silently lost). Only rows still in `state`: one another worker claimed is its own."""
    return Delivery.objects.filter(pk__in=delivery_ids, state=state).update(
        state=DeliveryState.FAILED, last_error=WITHHELD_ERROR
    )


def _item(event: Event, message: str | None = None) -> dict[str, str]:
    return {
        "kind": str(event.get_kind_display()),
        "message": message or event_message(event),
        "actor": actor_name(event),
        "case": f"{event.case.reference} {event.case.title}" if event.case else "",
        "url": absolute_url(event_path(event)),
    }


def _subject(event: Event, message: str) -> str:
    """The case's reference and the one line: the subject says what happened."""
    line = " ".join(message.split())
    line = line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return f"[{event.case.reference}] {line}" if event.case else line


def _send(
    recipient_email: str,
    subject: str,
    template: str,
    context: dict,
    connection: BaseEmailBackend | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    context = {**context, "preferences_url": absolute_url(preferences_path())}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[recipient_email],
        connection=connection,
        headers={"Content-Language": translation.get_language(), **context.get("headers", {})},
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send()


def _finish_failed(delivery_ids: list[int], error: Exception, attempts: int) -> SendResult:
    final = _is_permanent(error) or attempts >= settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS
    Delivery.objects.filter(pk__in=delivery_ids).update(
        state=DeliveryState.FAILED if final else DeliveryState.PENDING,
        last_error=f"{type(error).__name__}: {error}"[:500],
    )
    logger.warning("Email delivery %s failed (attempt %s): %s", delivery_ids, attempts, error)
    return SendResult.FAILED if final else SendResult.RETRY


BurstKey = tuple[int, str, int | None]  # recipient, event kind, case


def _burst_key(delivery: Delivery) -> BurstKey:
    return (delivery.recipient_id, delivery.event.kind, delivery.event.case_id)


def _burst_candidates(heads: list[Delivery], window: timedelta) -> list[tuple]:
    """The pending emails that may join one of the heads' bursts, oldest first, locked (rows
    another worker holds are skipped: they go in that worker's email). One query."""
    case_ids = {head.event.case_id for head in heads}
    same_case = Q(event__case_id__in=case_ids - {None})
    if None in case_ids:
        same_case |= Q(event__case_id__isnull=True)
    candidates = Delivery.objects.filter(
        same_case,
        channel=Channel.EMAIL,
        state=DeliveryState.PENDING,
        recipient_id__in={head.recipient_id for head in heads},
        event__kind__in={head.event.kind for head in heads},
        created_at__lte=max(head.created_at for head in heads) + window,
    ).order_by("created_at", "pk")
    if db_connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(of=("self",), skip_locked=True)
    return list(
        candidates.values_list("pk", "recipient_id", "event__kind", "event__case_id", "created_at")
    )


def _claim_bursts(heads: list[Delivery]) -> list[list[int]]:
    """Claim each head with the other pending emails of its burst (the same recipient, kind
    and case, reported up to the burst window after it), for the whole batch in one
    transaction: one locking read and one conditional UPDATE, whatever the batch's size.
    A head already claimed with an earlier head's burst, or held by another worker, is not
    claimed again."""
    window = timedelta(seconds=settings.NOTIFICATIONS_EMAIL_BURST_WINDOW)
    with transaction.atomic():
        by_key: dict[BurstKey, list[tuple]] = defaultdict(list)
        for pk, recipient_id, kind, case_id, created_at in _burst_candidates(heads, window):
            by_key[(recipient_id, kind, case_id)].append((pk, created_at))
        taken: set[int] = set()
        bursts = []
        for head in heads:
            rows = by_key.get(_burst_key(head), [])
            if head.pk in taken or head.pk not in {pk for pk, _at in rows}:
                continue
            limit = head.created_at + window
            ids = [pk for pk, at in rows if at <= limit and pk not in taken][:BURST_LIMIT]
            taken.update(ids)
            bursts.append(ids)
        _claim(sorted(taken), Channel.EMAIL, timezone.now())
    return bursts


def _burst_context(deliveries: list[Delivery]) -> tuple[str, str, dict]:
    """Subject, template and context of one email for the claimed deliveries."""
    events = [delivery.event for delivery in deliveries]
    first = events[0]
    if len(events) == 1:
        item = _item(first)
        return _subject(first, item["message"]), "event", item
    runs = fold(events)
    message = runs[0].message if len(runs) == 1 else burst_message_mixed(first, len(events))
    context = {
        **_item(first, message),
        "items": [_item(event) for event in events],
    }
    return _subject(first, message), "burst", context


def burst_message_mixed(event: Event, count: int) -> str:
    """A burst of one kind by several people: the kind and how many."""
    return _("%(kind)s (×%(count)d)") % {"kind": event.get_kind_display(), "count": count}


def _idempotency_headers(ids: list[int]) -> dict[str, str]:
    """The same burst sent again (a worker lost after the SMTP server took it) carries the same
    Message-ID, so the receiving side can tell it is the same email."""
    domain = urlsplit(settings.SITE_URL).hostname or "samverkan.localhost"
    key = f"email-{min(ids)}"
    return {
        "Message-ID": f"<{key}@{domain}>",
        "X-Samverkan-Idempotency-Key": key,
        "X-Samverkan-Delivery": ",".join(str(pk) for pk in ids),
    }


def _claimed_readable(bursts: list[list[int]]) -> dict[int, Delivery]:
    """The claimed deliveries with what their emails show, read once for the batch; those
    about a case the recipient may no longer see are withheld (one UPDATE if any)."""
    ids = [pk for burst in bursts for pk in burst]
    deliveries = list(
        readable_deliveries(Delivery.objects.filter(pk__in=ids)).select_related(
            "event__case", "event__actor", "recipient"
        )
    )
    unreadable = [d.pk for d in deliveries if not d.case_readable]
    if unreadable:
        withhold(unreadable, state=DeliveryState.SENDING)
    return {d.pk: d for d in deliveries if d.case_readable}


def _send_burst(
    deliveries: list[Delivery], languages: dict[int, str], connection: BaseEmailBackend | None
) -> SendResult:
    """Send the claimed, readable deliveries of one burst as one email. No write when it
    went: the batch marks each burst sent right after it went (see email_deliveries_send)."""
    deliveries.sort(key=lambda d: (d.event.created_at, d.pk))
    ids = [delivery.pk for delivery in deliveries]
    recipient = deliveries[0].recipient
    with translation.override(languages.get(recipient.pk, "sv")):
        subject, template, context = _burst_context(deliveries)
        context["headers"] = _idempotency_headers(ids)
        extras = [registered_email_extra(d.event, recipient) for d in deliveries]
        context["details"] = [line for extra in extras for line in extra.details]
        attachments = [file for extra in extras for file in extra.attachments]
        try:
            _send(recipient.email, subject, template, context, connection, attachments)
        except (smtplib.SMTPException, OSError) as error:
            return _finish_failed(ids, error, max(d.attempts for d in deliveries))
    return SendResult.SENT


def _mark_sent(ids: list[int]) -> None:
    if ids:
        Delivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
        )


def _heads(delivery_ids: list[int]) -> list[Delivery]:
    return list(
        Delivery.objects.filter(
            pk__in=delivery_ids, channel=Channel.EMAIL, state=DeliveryState.PENDING
        )
        .select_related("event")
        .order_by("created_at", "pk")
    )


def email_deliveries_send(
    *, delivery_ids: list[int], connection: BaseEmailBackend | None = None
) -> dict[int, SendResult]:
    """Send each pending email delivery once per claim, folding a burst into one email, over one
    SMTP session (`connection`) if given. The database work is the same few queries for one
    email or fifty, so a batch costs its SMTP conversations and little else.

    1. Read the still pending deliveries asked for and their recipients' languages.
    2. Claim every head's burst (itself and the recipient's other pending emails of the same
       kind and case within NOTIFICATIONS_EMAIL_BURST_WINDOW) in one conditional UPDATE.
    3. Read the claimed deliveries once, withholding those whose recipient may no longer see
       the case; send each burst as one email. A failure puts its burst back to pending for a
       retry (or ends it as failed).
    4. Mark each burst sent as soon as the server has taken it (one UPDATE by primary key). A
       worker that dies mid-batch thus leaves at most the email it was sending `sending`; when
       the lease expires it goes back to pending and is sent again with the same Message-ID, so
       at most one email per lost worker can arrive twice (at least once, never lost).
    """
    heads = _heads(delivery_ids)
    results = dict.fromkeys(delivery_ids, SendResult.SKIPPED)
    if not heads:
        return results
    languages = dict(
        NotificationSettings.objects.filter(
            user_id__in={head.recipient_id for head in heads}
        ).values_list("user_id", "language")
    )
    bursts = _claim_bursts(heads)
    readable = _claimed_readable(bursts) if bursts else {}
    for ids in bursts:
        deliveries = [readable[pk] for pk in ids if pk in readable]
        result = _send_burst(deliveries, languages, connection) if deliveries else None
        if result == SendResult.SENT:
            _mark_sent([d.pk for d in deliveries])
        for pk in ids:
            if pk in results:
                results[pk] = result if pk in readable else SendResult.WITHHELD
    return results


def email_delivery_send(
    *, delivery_id: int, connection: BaseEmailBackend | None = None
) -> SendResult:
    """Send one event's email to one recipient, at most once."""
    return email_deliveries_send(delivery_ids=[delivery_id], connection=connection)[delivery_id]
