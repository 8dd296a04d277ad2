"""The email channel: one message per delivery, sent at most once, in the recipient's language.

A delivery is claimed with a conditional UPDATE (pending -> sending) before the message goes out;
a redelivered task finds nothing to claim. Transient failures (the mail server is away or says
4xx) put the delivery back to pending for a retry; permanent ones (5xx, a refused address) and
the last allowed attempt end it as failed, with the error kept.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..choices import Channel, DeliveryState
from ..messages import absolute_url, event_message, event_path, preferences_path
from ..models import Delivery, Event, NotificationSettings
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


def _item(event: Event) -> dict[str, str]:
    return {
        "kind": str(event.get_kind_display()),
        "message": event_message(event),
        "case": f"{event.case.reference} {event.case.title}" if event.case else "",
        "url": absolute_url(event_path(event)),
    }


def _send(
    recipient_email: str,
    subject: str,
    template: str,
    context: dict,
    connection: BaseEmailBackend | None = None,
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
    message.send()


def _finish_failed(delivery_ids: list[int], error: Exception, attempts: int) -> SendResult:
    final = _is_permanent(error) or attempts >= settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS
    Delivery.objects.filter(pk__in=delivery_ids).update(
        state=DeliveryState.FAILED if final else DeliveryState.PENDING,
        last_error=f"{type(error).__name__}: {error}"[:500],
    )
    logger.warning("Email delivery %s failed (attempt %s): %s", delivery_ids, attempts, error)
    return SendResult.FAILED if final else SendResult.RETRY


def _send_claimed(
    delivery: Delivery, language: str, connection: BaseEmailBackend | None
) -> SendResult:
    """Claim one delivery (loaded beforehand) and send it; the claim is what makes it once."""
    if not delivery.case_readable:
        withheld = withhold([delivery.pk], state=DeliveryState.PENDING)
        return SendResult.WITHHELD if withheld else SendResult.SKIPPED
    if not _claim([delivery.pk], Channel.EMAIL, timezone.now()):
        return SendResult.SKIPPED
    event = delivery.event
    with translation.override(language):
        item = _item(event)
        subject = f"[{event.case.reference}] {item['kind']}" if event.case else item["kind"]
        context = {**item, "headers": {"X-Samverkan-Delivery": str(delivery.pk)}}
        try:
            _send(delivery.recipient.email, subject, "event", context, connection)
        except (smtplib.SMTPException, OSError) as error:
            return _finish_failed([delivery.pk], error, delivery.attempts + 1)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return SendResult.SENT


def email_deliveries_send(
    *, delivery_ids: list[int], connection: BaseEmailBackend | None = None
) -> dict[int, SendResult]:
    """Send each email delivery at most once, over one SMTP session (`connection`) if given.

    The rows and the recipients' languages are read for the whole batch up front; each delivery
    is still claimed on its own just before its message goes out, so a worker that dies
    mid-batch leaves the rest pending, to be sent by the next run.
    """
    deliveries = readable_deliveries(
        Delivery.objects.filter(
            pk__in=delivery_ids, channel=Channel.EMAIL, state=DeliveryState.PENDING
        ).select_related("event__case", "event__actor", "recipient")
    )
    by_id = {delivery.pk: delivery for delivery in deliveries}
    languages = dict(
        NotificationSettings.objects.filter(
            user_id__in={d.recipient_id for d in by_id.values()}
        ).values_list("user_id", "language")
    )
    return {
        pk: _send_claimed(by_id[pk], languages.get(by_id[pk].recipient_id, "sv"), connection)
        if pk in by_id
        else SendResult.SKIPPED
        for pk in delivery_ids
    }


def email_delivery_send(
    *, delivery_id: int, connection: BaseEmailBackend | None = None
) -> SendResult:
    """Send one event's email to one recipient, at most once."""
    return email_deliveries_send(delivery_ids=[delivery_id], connection=connection)[delivery_id]
