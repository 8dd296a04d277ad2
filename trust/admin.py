from __future__ import annotations

from django.contrib import admin

from .models import TrustRound


@admin.register(TrustRound)
class TrustRoundAdmin(admin.ModelAdmin):
    """Rounds only: answers are the organisations' and are read in the product, as averages."""

    list_display = ["case", "number", "opened_at", "deadline", "closed_at", "answered_count"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in TrustRound._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
