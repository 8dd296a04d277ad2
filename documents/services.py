"""Every write to attachments: add, replace (a new version), remove. Each is one transaction.

The file's content decides its type (documents/sniffing.py); the size limit is enforced while
the body arrives (documents/uploads.py) and checked once more here for files handed in some
other way (the demo, a management command). A removed attachment keeps its row and every
version's file, so its history still reads; it is no longer listed or downloadable.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from cases.services.common import ensure_case_open
from notifications.choices import EventKind
from notifications.services import event_record

from . import access
from .models import FILE_NAME_MAX_LENGTH, Attachment, AttachmentVersion, attachment_history
from .owners import owner_kind_of
from .sniffing import sniff_content_type
from .uploads import attachment_max_bytes, limit_in_megabytes


def file_check(file: File) -> str:
    """The file's content type, or a ValidationError on `file` saying why it is refused."""
    if file.size is not None and file.size > attachment_max_bytes():
        raise ValidationError({"file": too_large_message()})
    if not file.size:
        raise ValidationError({"file": _("The file is empty.")})
    content_type = sniff_content_type(file, file.name or "")
    if content_type is None:
        raise ValidationError(
            {
                "file": _(
                    "This kind of file cannot be attached. Allowed: PDF, Word, Excel, "
                    "PowerPoint and OpenDocument files, images (PNG, JPEG, GIF, WebP, TIFF), "
                    "CSV and plain text."
                )
            }
        )
    return content_type


def too_large_message() -> str:
    return _("The file is too large: at most %(limit)s MB.") % {"limit": limit_in_megabytes()}


def _clean_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable()) or "file"
    if len(base) > FILE_NAME_MAX_LENGTH:
        stem, dot, suffix = base.rpartition(".")
        keep = FILE_NAME_MAX_LENGTH - len(suffix) - 1
        base = f"{stem[:keep]}.{suffix}" if dot and 0 < len(suffix) < 10 else base[:255]
    return base


def _ensure_open(case: Case | None) -> None:
    """A closed case's files are read-only; a meeting's files have no case to close."""
    if case is not None:
        ensure_case_open(case)


def _digest(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _record_history(
    attachment: Attachment, *, actor: AbstractBaseUser, change: str, reason: str = ""
) -> None:
    """One history record ("+" added, "~" replaced, "-" removed): the case timeline reads it."""
    attachment._history_user = actor  # type: ignore[attr-defined]
    attachment._change_reason = reason or None  # type: ignore[attr-defined]
    attachment_history.create_historical_record(attachment, change)


def _save_version(
    *, attachment: Attachment, actor: AbstractBaseUser, file: File, content_type: str
) -> AttachmentVersion:
    version = AttachmentVersion(
        attachment=attachment,
        number=attachment.revision,
        file_name=attachment.file_name,
        content_type=content_type,
        size=file.size,
        sha256=_digest(file),
        uploaded_by=actor,
    )
    version.file.save(attachment.file_name, file, save=False)
    version.full_clean()
    version.save()
    return version


def _event(kind: str, actor: AbstractBaseUser, attachment: Attachment, **payload: Any) -> None:
    event_record(
        kind=kind,
        actor=actor,
        case=attachment.case,
        target=attachment,
        payload={
            "title": attachment.title,
            "file_name": attachment.file_name,
            "owner_kind": attachment.owner_kind,
            "action": attachment.action_id,
            "decision": attachment.decision_id,
            # An agenda item's papers reach the members expected at its meeting.
            "meeting": attachment.meeting_id
            or (attachment.agenda_item.meeting_id if attachment.agenda_item_id else None),
            "agenda_item": attachment.agenda_item_id,
            "version": attachment.revision,
            **payload,
        },
    )


@transaction.atomic
def attachment_add(
    *, actor: AbstractBaseUser, owner: models.Model, title: str, file: File
) -> Attachment:
    """Attach a file with a title to a case, an action, a decision or a meeting (its first
    version)."""
    kind = owner_kind_of(owner)
    case = kind.case_of(owner)
    _ensure_open(case)
    if not access.can_attach(actor, owner, kind.kind):
        raise PermissionDenied(_("You may not attach files here."))
    content_type = file_check(file)
    attachment = Attachment(
        owner_kind=kind.kind,
        case=case,
        title=(title or "").strip(),
        file_name=_clean_name(file.name or ""),
        created_by=actor,
    )
    if kind.field != "case":
        setattr(attachment, kind.field, owner)
    attachment.full_clean()
    attachment.save_without_historical_record()
    _save_version(attachment=attachment, actor=actor, file=file, content_type=content_type)
    _record_history(attachment, actor=actor, change="+")
    _event(EventKind.ATTACHMENT_ADDED, actor, attachment)
    return attachment


def _locked(attachment: Attachment) -> Attachment:
    return (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("case", "action", "decision", "meeting", "agenda_item")
        .get(pk=attachment.pk)
    )


@transaction.atomic
def attachment_replace(
    *, actor: AbstractBaseUser, attachment: Attachment, file: File, title: str = ""
) -> Attachment:
    """A new version of the file (and optionally a new title); every earlier version is kept."""
    _ensure_open(attachment.case)
    if not access.can_replace_attachment(actor, attachment):
        raise PermissionDenied(_("You may not replace this file."))
    content_type = file_check(file)
    attachment = _locked(attachment)
    attachment.revision += 1
    attachment.file_name = _clean_name(file.name or "")
    attachment.title = (title or "").strip() or attachment.title
    attachment.updated_at = timezone.now()
    attachment.full_clean()
    attachment.save_without_historical_record()
    _save_version(attachment=attachment, actor=actor, file=file, content_type=content_type)
    _record_history(attachment, actor=actor, change="~")
    _event(EventKind.ATTACHMENT_REPLACED, actor, attachment)
    return attachment


@transaction.atomic
def attachment_remove(
    *, actor: AbstractBaseUser, attachment: Attachment, reason: str = ""
) -> Attachment:
    """Take the attachment off its owner's page; its versions stay in storage and history."""
    _ensure_open(attachment.case)
    if not access.can_remove_attachment(actor, attachment):
        raise PermissionDenied(_("You may not remove this file."))
    attachment = _locked(attachment)
    attachment.removed = True
    attachment.updated_at = timezone.now()
    attachment.save_without_historical_record()
    _record_history(attachment, actor=actor, change="-", reason=(reason or "").strip()[:2000])
    _event(EventKind.ATTACHMENT_REMOVED, actor, attachment, reason=(reason or "")[:500])
    return attachment
