from __future__ import annotations

from django.contrib import admin

from .models import Experience


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "status", "submitted_at", "moderated_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["case", "moderated_by", "replied_by"]
    readonly_fields = ["submitted_at", "reply_claimed_at", "reply_sent_at"]
