from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: operators see what was generated for whom and how it went (the files are
    downloaded by their requesters only)."""

    list_display = ["uuid", "kind", "case", "requested_by", "state", "page_count", "created_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["case", "requested_by"]
    readonly_fields = [
        "uuid",
        "kind",
        "case",
        "requested_by",
        "language",
        "state",
        "steps_done",
        "steps_total",
        "page_count",
        "created_at",
        "finished_at",
    ]
    exclude = ["file"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
