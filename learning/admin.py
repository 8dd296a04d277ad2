from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Obstacle, ObstacleGroup


@admin.register(ObstacleGroup)
class ObstacleGroupAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "case_count", "obstacle_count", "escalated_on"]
    list_filter = ["kind"]
    search_fields = ["statute", "statute_key", "escalated_to"]
    readonly_fields = ["statute_key", "case_count", "obstacle_count", "last_recorded_at"]


@admin.register(Obstacle)
class ObstacleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "case", "kind", "statute", "recorded_at"]
    list_filter = ["kind"]
    search_fields = ["title", "statute"]
    raw_id_fields = ["case", "group", "recorded_by", "organisations"]
