"""API shapes of the webhook channel. The secret appears only in create and rotate answers."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Organisation
from config.api.fields import StrictCharField, StrictModelSerializer

from ..choices import EventKind
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(StrictModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    # Checked by the model (http and https only) when the service validates the endpoint.
    url = StrictCharField(max_length=500)
    event_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices), required=False
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "organisation",
            "url",
            "description",
            "event_kinds",
            "is_active",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["disabled_reason", "created_at", "updated_at"]


class WebhookEndpointUpdateSerializer(WebhookEndpointSerializer):
    """An endpoint stays with its organisation."""

    organisation = serializers.PrimaryKeyRelatedField(read_only=True)


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """Shown once: after create and after rotating the secret."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "duration_ms", "status_code", "error"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_kind = serializers.CharField(source="event.kind", read_only=True)
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_kind",
            "endpoint",
            "state",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields
