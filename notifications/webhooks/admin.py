"""Operators' view of webhooks: endpoints, deliveries (dead ones easy to find), attempts."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .choices import DeliveryState
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .services import validate_destination, webhook_delivery_replay, webhook_endpoint_update


class OperatorsOnly:
    """Only operators (superusers) see these pages. The committee's read-only staff accounts
    browse the rest of the admin, but an organisation's webhook URLs are its own business: the
    API shows them only to that organisation's admins."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_kinds", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if "url" in self.changed_data:
            validate_destination(url)  # its ValidationError shows by the field
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(OperatorsOnly, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "organisation", "is_active", "disabled_reason", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "organisation__name"]
    # Endpoints are created by organisation admins through the API (which shows the secret once);
    # operators may change or switch one off here, through the same service.
    fields = [
        "organisation",
        "url",
        "description",
        "event_kinds",
        "is_active",
        "disabled_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["organisation", "disabled_reason", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: ModelForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        webhook_endpoint_update(actor=request.user, endpoint=obj, data=data)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "status_code", "error"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OperatorsOnly, admin.ModelAdmin):
    list_display = [
        "id",
        "event",
        "endpoint",
        "state",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["state", "event__kind"]
    search_fields = ["endpoint__url", "endpoint__organisation__name", "event__case__reference"]
    list_select_related = ["event", "endpoint"]
    inlines = [WebhookAttemptInline]
    actions = ["replay_dead"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        # Deliveries change only through the sender and the replay action.
        return [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: WebhookDelivery, form: ModelForm, change: bool
    ) -> None:
        """Nothing to save: every field is read-only here."""

    @admin.action(description=_("Replay the selected dead deliveries"))
    def replay_dead(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        replayed = 0
        for delivery in queryset.filter(state=DeliveryState.DEAD):
            try:
                webhook_delivery_replay(actor=request.user, delivery=delivery)
                replayed += 1
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"#{delivery.pk}: {reason}", messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d delivery replayed.", "%(count)d deliveries replayed.", replayed)
            % {"count": replayed},
        )
