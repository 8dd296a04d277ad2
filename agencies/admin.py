from __future__ import annotations

from django.contrib import admin

from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "organisation_number",
        "municipality_code",
        "region_code",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "password_sign_in", "has_regional_duties", "region_code"]
    search_fields = [
        "name",
        "legal_name",
        "short_name",
        "name_en",
        "organisation_number",
        "municipality_code",
    ]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
