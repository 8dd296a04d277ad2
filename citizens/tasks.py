"""Thin tasks that call the services: a reply's e-mail, the sweep of replies not yet sent, and
the daily purge of contact addresses."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def experience_reply_send(experience_id: int) -> bool:
    return services.experience_reply_send(experience_id=experience_id)


@shared_task
def experience_replies_due_send() -> int:
    """Every few minutes: replies whose hand-off was lost or whose mail server was down."""
    sent = 0
    for pk in services.experience_replies_due():
        try:
            sent += services.experience_reply_send(experience_id=pk)
        except Exception:  # a mail server error: the claim runs out and the next sweep retries
            services.logger.warning("Reply %s not sent; retried later", pk, exc_info=True)
    return sent


@shared_task
def experience_contacts_purge() -> int:
    """Daily: contact addresses past CITIZENS_CONTACT_RETENTION_DAYS are removed."""
    return services.contacts_purge()
