from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "case", "months", "due_on", "status"]
    list_filter = ["status", "months"]
    raw_id_fields = ["outcome", "case", "measurement"]
    readonly_fields = ["due_notified_at", "overdue_notified_at"]
