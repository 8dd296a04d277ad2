from __future__ import annotations

from django.db import models
from django.utils import timezone


class SentEmail(models.Model):
    """An email the local mailbox kept instead of sending it (DEBUG only); newest = highest id."""

    sent_at = models.DateTimeField(default=timezone.now)
    sender = models.TextField()
    recipients = models.TextField(help_text="To, Cc and Bcc, comma-separated.")
    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.subject
