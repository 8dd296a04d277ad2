from __future__ import annotations

from django.contrib import admin

from .models import MeasurementImport


@admin.register(MeasurementImport)
class MeasurementImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "case", "created_by", "created_at", "confirmed_at"]
    list_select_related = ["case", "created_by"]
    readonly_fields = [
        "case",
        "created_by",
        "file_name",
        "rows",
        "reason",
        "created_at",
        "confirmed_at",
    ]
    search_fields = ["file_name", "case__reference"]

    def has_add_permission(self, request: object) -> bool:
        return False
