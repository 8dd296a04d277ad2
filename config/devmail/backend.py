"""An email backend that keeps every message in the local mailbox instead of sending it.

The `make run` default under DEBUG: the console backend printed thousands of lines of raw email
over the demo logins; here they wait at /dev/mailbox/, readable like an inbox.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from .services import sent_email_record


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            sent_email_record(message=message)
        return len(email_messages)
