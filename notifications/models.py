from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Ask, Channel, DeliveryState, EmailMode, EventKind


class Event(models.Model):
    """A domain event, written in the transaction of the change (the outbox)."""

    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,  # event_case_newest serves lookups by case
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Set for events that may happen at most once per key (e.g. one overdue reminder per action
    # and day): the unique constraint, not a lock, keeps a second run from recording it again.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set once the fan-out task has run to completion; the sweeper re-sends rows left at NULL.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # The request that made the change (config/request_id.py): the worker logs its fan-out,
    # emails and webhooks under it, and webhooks carry it as X-Request-ID.
    request_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # When its fan-out task was last handed to the broker (after commit, or by the sweeper); NULL
    # while no publish is known to have succeeded. The sweeper queues a handed-off event again
    # only once it no longer waits in the fan-out queue, so a backlog is never doubled.
    handed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="event_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            ),
            # A case's events newest first: the dashboard's activity reads the newest few of
            # each followed case from it (and it serves lookups by case, so no other index).
            models.Index(fields=["case", "-created_at", "-id"], name="event_case_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class CaseFollow(models.Model):
    """A user following a case; coordinators and contact persons follow automatically."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_follows"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follows")
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case follow")
        verbose_name_plural = _("case follows")
        constraints = [models.UniqueConstraint(fields=["user", "case"], name="unique_case_follow")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.case_id}"


class Notification(models.Model):
    """An event as one recipient's in-app inbox shows it; never two for the same event."""

    # No index of its own: the unique (event, recipient) index serves lookups by event, and the
    # fan-out writes one index fewer per recipient.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="unique_notification")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            # The inbox: a user's newest page is read from the index, never sorted in full.
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_inbox_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a user wants email about one kind of event, or about what asks something of them
    (an `Ask`); only explicit choices are rows, defaults live in notifications/preferences.py."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=[*Ask.choices, *EventKind.choices])
    email = models.CharField(
        _("email"), max_length=12, choices=EmailMode.choices, default=EmailMode.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} by {self.email}"


class Delivery(models.Model):
    """One event sent to one recipient on one channel (email now, or in a digest); never twice."""

    # A log row written in bulk by the fan-out with ids it has just read (the event row locked):
    # no database-level foreign keys (Django still cascades deletes) and no index of their own,
    # so each recipient costs the fan-out two checks and one index fewer.
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "recipient"], name="unique_delivery"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "channel", "created_at"],
                name="delivery_pending",
                condition=models.Q(state="pending"),
            ),
            # The sweeper's look for claims past their lease: only the few rows in flight.
            models.Index(
                fields=["claimed_at"],
                name="delivery_sending",
                condition=models.Q(state="sending"),
            ),
            # Failed emails, for /metrics and `manage.py deliveries_stuck`: only the few given up.
            models.Index(
                fields=["created_at"],
                name="delivery_failed",
                condition=models.Q(state="failed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient} by {self.channel} ({self.state})"


class NotificationSettings(models.Model):
    """A user's notification settings that are not per kind: the language of their emails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


from .webhooks.models import *  # noqa: E402,F403 - webhook tables belong to this app
