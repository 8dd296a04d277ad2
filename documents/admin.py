"""Attachments for operators: read only (every change goes through the services and is recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Attachment, AttachmentVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "file_name", "owner_kind", "case", "revision", "removed", "updated_at"]
    list_filter = ["owner_kind", "removed"]
    search_fields = ["title", "file_name", "case__reference"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "action", "decision", "meeting", "agenda_item", "created_by"]


@admin.register(AttachmentVersion)
class AttachmentVersionAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "attachment", "number", "content_type", "size", "uploaded_at"]
    list_select_related = ["attachment"]
    raw_id_fields = ["attachment", "uploaded_by"]
