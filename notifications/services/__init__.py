"""Writes of the notifications app. `event_record` is called by every service that changes
something meaningful, inside that service's transaction."""

from .due import email_deliveries_due
from .email import SendResult, email_deliveries_send, email_delivery_send
from .events import (
    broker_pause_reset,
    broker_publish,
    event_hand_off,
    event_record,
    event_record_once,
)
from .fanout import event_fan_out, event_recipients, events_fan_out_waiting
from .follows import case_follow, case_follow_automatic, case_unfollow
from .inbox import (
    notification_language_set,
    notification_mark_all_read,
    notification_mark_read,
    notification_mark_read_unless_asking,
    preferences_set,
)
from .scheduled import (
    action_overdue_record,
    digest_recipient_ids,
    digest_send,
    outbox_sweep,
    overdue_reminders_record,
)

__all__ = [
    "SendResult",
    "action_overdue_record",
    "broker_pause_reset",
    "broker_publish",
    "case_follow",
    "case_follow_automatic",
    "case_unfollow",
    "digest_recipient_ids",
    "digest_send",
    "email_deliveries_due",
    "email_deliveries_send",
    "email_delivery_send",
    "event_fan_out",
    "event_hand_off",
    "event_recipients",
    "event_record",
    "event_record_once",
    "events_fan_out_waiting",
    "notification_language_set",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_mark_read_unless_asking",
    "outbox_sweep",
    "overdue_reminders_record",
    "preferences_set",
]
