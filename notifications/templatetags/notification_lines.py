"""The one line a notification reads as, for pages outside the inbox (the dashboard)."""

from __future__ import annotations

from django import template

from ..messages import notification_message
from ..models import Notification

register = template.Library()


@register.filter
def notification_line(notification: Notification) -> str:
    """What happened, naming the thing and the change; nothing from a case the reader left."""
    return notification_message(notification)
