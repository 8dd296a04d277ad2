"""Every read of attachments that depends on who asks; a file the user may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cases.access import AnyUser

from . import access
from .choices import OwnerKind
from .models import Attachment, AttachmentVersion
from .owners import owner_for


def attachment_queryset() -> QuerySet[Attachment]:
    return Attachment.objects.select_related(
        "case", "action", "decision", "meeting", "agenda_item", "created_by"
    )


def owner_get_for_user(user: AnyUser, *, kind: str, pk: int) -> Any:
    """The case, action, decision or meeting to list or attach files on, 404 when unknown or
    not visible."""
    if kind not in OwnerKind.values:
        raise Http404("No such owner")
    return owner_for(kind).get_for_user(user, pk)


def owner_attachments(owner: Any) -> QuerySet[Attachment]:
    """The current attachments of an owner the caller has access-checked, newest first (served
    by the attachment_<kind>_newest indexes)."""
    kind = owner_for(_kind_of(owner))
    lookup: dict[str, Any] = {kind.field: owner, "removed": False}
    if kind.kind == OwnerKind.CASE:
        lookup["owner_kind"] = OwnerKind.CASE
    return attachment_queryset().filter(**lookup).order_by("-updated_at", "-id")


def _kind_of(owner: Any) -> str:
    from .owners import owner_kind_of

    return owner_kind_of(owner).kind


def attachment_get_for_user(user: AnyUser, *, pk: int) -> Attachment:
    attachment = attachment_queryset().filter(pk=pk).first()
    if attachment is None or not access.can_view_attachment(user, attachment):
        raise Http404("No such attachment")
    return attachment


def attachment_versions(attachment: Attachment) -> QuerySet[AttachmentVersion]:
    """Every version of an access-checked attachment, newest first."""
    return attachment.versions.select_related("uploaded_by").order_by("-number")


def version_get_for_user(user: AnyUser, *, pk: int, number: int | None = None) -> AttachmentVersion:
    """A version of an attachment the user may see (the current one without a number)."""
    attachment = attachment_get_for_user(user, pk=pk)
    version = (
        attachment.versions.filter(number=attachment.revision if number is None else number)
        .select_related("attachment")
        .first()
    )
    if version is None:
        raise Http404("No such version")
    return version
