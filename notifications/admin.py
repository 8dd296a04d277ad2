from __future__ import annotations

from django.contrib import admin

from .models import (
    CaseFollow,
    Delivery,
    Event,
    Notification,
    NotificationPreference,
    NotificationSettings,
)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "case", "actor", "created_at", "dispatched_at"]
    list_filter = ["kind", ("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["case__reference", "actor__username"]
    raw_id_fields = ["case", "actor"]
    readonly_fields = [f.name for f in Event._meta.fields]


@admin.register(CaseFollow)
class CaseFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "case", "automatic", "created_at"]
    list_filter = ["automatic"]
    search_fields = ["user__username", "case__reference", "case__title"]
    raw_id_fields = ["user", "case"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["event", "recipient", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "event__kind"]
    search_fields = ["recipient__username", "event__case__reference"]
    raw_id_fields = ["event", "recipient"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    search_fields = ["user__username"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The email log. A row left in "sending" means a worker died between claiming and sending:
    once NOTIFICATIONS_EMAIL_SEND_LEASE has passed, the sweeper sends it again (at least once)."""

    list_display = ["event", "channel", "recipient", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "state"]
    search_fields = ["recipient__username", "event__case__reference"]
    raw_id_fields = ["event", "recipient"]
    readonly_fields = ["event", "channel", "recipient", "attempts", "created_at", "claimed_at"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]


from .webhooks import admin as webhook_admin  # noqa: E402,F401 - registers the webhook admin
