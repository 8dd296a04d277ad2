"""Webhook endpoints, deliveries and attempts (imported by notifications.models)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import EventKind
from .choices import DeliveryState

__all__ = ["WebhookAttempt", "WebhookDelivery", "WebhookEndpoint"]

# Only plain web URLs: file:, ftp:, gopher: and friends would turn the sender into a local reader.
http_url_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter an http:// or https:// URL.")
)


def validate_event_kinds(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        raise ValidationError(_("Give a list of event kinds."))
    unknown = sorted(set(value) - set(EventKind.values))
    if unknown:
        raise ValidationError(
            _("Unknown event kinds: %(kinds)s."), params={"kinds": ", ".join(unknown)}
        )


class WebhookEndpoint(models.Model):
    """A URL of an organisation that receives signed events of the cases it takes part in."""

    organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500, validators=[http_url_validator])
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Event kinds (notifications.choices.EventKind values) to send; empty means every kind.
    event_kinds = models.JSONField(
        _("event kinds"), default=list, blank=True, validators=[validate_event_kinds]
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Kept in clear text because we must sign with it (Standard Webhooks "whsec_" + base64).
    secret = models.CharField(max_length=100, editable=False)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"

    def wants(self, kind: str) -> bool:
        return not self.event_kinds or kind in self.event_kinds


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint; never two for the same pair."""

    event = models.ForeignKey(
        "notifications.Event", on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Attempts made before the last replay: the retry budget counts from there.
    attempts_before_replay = models.PositiveIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A sender holds the delivery until then; a crashed sender's claim simply expires.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    # When the last send task handed to the broker is due to run (None: none is queued). The due
    # sweep re-queues a delivery only well after that, so a busy broker does not fill up with
    # copies of the same send.
    queued_for = models.DateTimeField(null=True, blank=True, editable=False)
    last_status_code = models.PositiveSmallIntegerField(_("last status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="unique_webhook_delivery")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(state__in=["pending", "retrying"]),
            ),
            # Dead deliveries, for /metrics and `manage.py deliveries_stuck`.
            models.Index(
                fields=["created_at"],
                name="webhook_delivery_dead",
                condition=models.Q(state="dead"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.state})"

    @property
    def attempts_in_round(self) -> int:
        return self.attempts - self.attempts_before_replay


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: when, how long, what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="unique_webhook_attempt")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error}"
