from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Lesson, LessonRequest


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["way_of_working", "case", "theme", "sector_mix", "created_at"]
    list_filter = ["theme"]
    search_fields = ["way_of_working"]
    raw_id_fields = ["case", "recorded_by", "organisation"]
    readonly_fields = ["theme", "sector_mix"]


@admin.register(LessonRequest)
class LessonRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "requested_at", "reminded_at", "fulfilled_at"]
    raw_id_fields = ["case"]
