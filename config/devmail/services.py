"""Writes and reads of the local mailbox."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db.models import QuerySet

from .models import SentEmail


def _html_part(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            return str(content)
    return ""


def sent_email_record(*, message: EmailMessage) -> SentEmail:
    """Keep one outgoing email (all its recipients, its text and its HTML version)."""
    return SentEmail.objects.create(
        sender=message.from_email or "",
        recipients=", ".join(message.recipients()),
        subject=message.subject or "",
        body=str(message.body or ""),
        html=_html_part(message),
    )


def sent_email_list() -> QuerySet[SentEmail]:
    """Newest first, by primary key (its index serves the order)."""
    return SentEmail.objects.only("id", "sent_at", "recipients", "subject").order_by("-id")
