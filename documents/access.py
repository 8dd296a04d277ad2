"""Who may see and change an attachment: exactly who may see and work on its owner.

The owner kind (documents/owners.py) brings the owner's own rule from cases/access.py; nothing
here re-decides who sees a case.
"""

from __future__ import annotations

from typing import Any

from cases import access as case_access
from cases.access import AnyUser

from .models import Attachment
from .owners import owner_for


def attachment_owner(attachment: Attachment) -> Any:
    return getattr(attachment, owner_for(attachment.owner_kind).field)


def can_view_attachment(user: AnyUser, attachment: Attachment) -> bool:
    if attachment.removed:
        return False
    owner = owner_for(attachment.owner_kind)
    return owner.can_view(user, attachment_owner(attachment))


def can_attach(user: AnyUser, owner_instance: Any, kind: str) -> bool:
    return bool(user.is_authenticated) and owner_for(kind).can_attach(user, owner_instance)


def can_replace_attachment(user: AnyUser, attachment: Attachment) -> bool:
    return not attachment.removed and can_attach(
        user, attachment_owner(attachment), attachment.owner_kind
    )


def can_remove_attachment(user: AnyUser, attachment: Attachment) -> bool:
    """The case's managers, and whoever added the file while they still work on its owner; a
    meeting's files (no case) are managed by all who prepare meetings."""
    if not can_replace_attachment(user, attachment):
        return False
    if attachment.case is None:
        return True
    return case_access.can_manage_case(user, attachment.case) or (
        attachment.created_by_id == user.pk
    )
