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
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..choices import Channel, DeliveryState
from ..messages import PREFERENCES_PATH, absolute_url, event_message, event_path
from ..models import Delivery, Event, NotificationSettings

logger = logging.getLogger(__name__)


class SendResult(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # someone else claimed it, or it was already sent
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
    context = {**context, "preferences_url": absolute_url(PREFERENCES_PATH)}
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


def email_delivery_send(
    *, delivery_id: int, connection: BaseEmailBackend | None = None
) -> SendResult:
    """Send one event's email to one recipient, at most once (over `connection` if given, so a
    batch shares one SMTP session)."""
    if not _claim([delivery_id], Channel.EMAIL, timezone.now()):
        return SendResult.SKIPPED
    delivery = Delivery.objects.select_related("event__case", "event__actor", "recipient").get(
        pk=delivery_id
    )
    with translation.override(user_language(delivery.recipient_id)):
        item = _item(delivery.event)
        subject = (
            f"[{delivery.event.case.reference}] {item['kind']}"
            if delivery.event.case
            else item["kind"]
        )
        context = {**item, "headers": {"X-Samverkan-Delivery": str(delivery.pk)}}
        try:
            _send(delivery.recipient.email, subject, "event", context, connection)
        except (smtplib.SMTPException, OSError) as error:
            return _finish_failed([delivery.pk], error, delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return SendResult.SENT
