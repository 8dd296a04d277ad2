from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    ActionUpdate,
    Case,
    CaseStatusChange,
    Measurement,
    Outcome,
    Participation,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["organisation", "role", "state", "contact_person"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class StatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "reason", "changed_by", "changed_at"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "status",
        "visibility",
        "priority",
        "theme",
        "coordinator",
    ]
    list_filter = ["status", "visibility", "priority", "theme", "is_national"]
    search_fields = ["reference", "title", "summary"]
    # Coordinator and visibility decide who sees a restricted case: they change only through the
    # product, where the committee (or a hand-over to someone who already sees the case) decides
    # with a reason that is recorded and notified.
    readonly_fields = [
        "reference",
        "status",
        "version",
        "created_by",
        "created_at",
        "coordinator",
        "visibility",
    ]
    autocomplete_fields = ["scope_areas"]
    date_hierarchy = "created_at"
    inlines = [ParticipationInline, StatusChangeInline]

    def has_add_permission(self, request: object) -> bool:
        return False  # cases are registered through the product, which allocates references


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["case", "organisation", "role", "state", "contact_person", "invited_at"]
    list_filter = ["role", "state", "organisation__kind"]
    search_fields = ["case__reference", "case__title", "organisation__name"]
    raw_id_fields = ["case", "organisation", "contact_person", "invited_by", "responded_by"]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    readonly_fields = ["author", "text", "old_status", "new_status", "created_at"]
    can_delete = False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "case", "lead_organisation", "assignee", "status", "due_date"]
    list_filter = ["status", "lead_organisation__kind"]
    search_fields = ["title", "case__reference", "lead_organisation__name"]
    raw_id_fields = ["case", "lead_organisation", "assignee", "created_by"]
    filter_horizontal = ["contributors", "depends_on"]
    inlines = [ActionUpdateInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "author", "new_status", "created_at"]
    list_filter = ["new_status"]
    search_fields = ["text", "action__title", "author__username"]
    raw_id_fields = ["action", "author"]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "case",
        "indicator",
        "unit",
        "direction",
        "baseline_value",
        "target_value",
    ]
    list_filter = ["direction"]
    search_fields = ["title", "indicator", "case__reference"]
    raw_id_fields = ["case"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = [
        "outcome",
        "value",
        "measured_on",
        "organisation",
        "reported_by",
        "review_state",
    ]
    list_filter = ["review_state", "organisation__kind"]
    search_fields = ["outcome__title", "organisation__name"]
    raw_id_fields = ["outcome", "organisation", "reported_by"]
    date_hierarchy = "measured_on"


@admin.register(CaseStatusChange)
class CaseStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["case", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    search_fields = ["case__reference", "reason"]
    readonly_fields = ["case", "from_status", "to_status", "reason", "changed_by", "changed_at"]
