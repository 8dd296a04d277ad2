from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read only: a decision is taken through the service (numbered, with its events) and never
    changed or deleted afterwards."""

    list_display = ("reference", "decided_on", "case", "decided_by", "meeting", "revokes")
    list_filter = ("year", "decided_by")
    search_fields = ("text", "case__reference")
    list_select_related = ("case", "meeting", "revokes")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Decision | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Decision | None = None) -> bool:
        return False
