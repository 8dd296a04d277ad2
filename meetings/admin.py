from __future__ import annotations

from django.contrib import admin

from .models import AgendaItem, Meeting, MinutesVersion


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "place", "agenda_sent_at"]
    date_hierarchy = "starts_at"
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # changes go through the product's services


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "state", "position"]
    raw_id_fields = ["meeting", "case", "proposed_by"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(MinutesVersion)
class MinutesVersionAdmin(admin.ModelAdmin):
    list_display = ["item", "number", "written_by", "adjusted_by", "adjusted_at"]
    raw_id_fields = ["item", "written_by", "adjusted_by"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
