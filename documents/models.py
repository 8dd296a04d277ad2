"""Attachments: a titled file on a case, an action, a decision or a meeting, every version kept.

Ownership is a nullable foreign key per owner kind (`action`, later `meeting`, `decision`,
`minutes`) rather than a generic relation: the database keeps each reference valid, an owner
cannot be deleted under its files (PROTECT), and "the files of this action" is an indexed lookup.
`case` is set for every owner that belongs to a case (an action's or a decision's case too), so
the case's access rule and timeline read attachments without knowing the owner kind; a meeting's
files have no case (the meeting's own rule decides who sees them). Adding a kind is one
field, one constraint line and one entry in `documents/owners.py`.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import OwnerKind

TITLE_MAX_LENGTH = 200
FILE_NAME_MAX_LENGTH = 255


def version_storage_path(instance: AttachmentVersion, filename: str) -> str:
    """A random name under attachments/ (never the uploader's file name, which may say too much)."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


# Kept as a module object so the services write exactly one history record per change.
attachment_history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))


class Attachment(models.Model):
    """A titled file on a case, an action, a decision, a meeting or one of its agenda items (the
    papers of its minutes); its content is in its versions."""

    owner_kind = models.CharField(_("attached to"), max_length=20, choices=OwnerKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("case"),
    )
    action = models.ForeignKey(
        "cases.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("action"),
    )
    decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("decision"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    file_name = models.CharField(_("file"), max_length=FILE_NAME_MAX_LENGTH)
    revision = models.PositiveIntegerField(_("version number"), default=1)
    removed = models.BooleanField(_("removed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    history = attachment_history

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(
                fields=["case", "owner_kind", "removed", "-updated_at", "-id"],
                name="attachment_case_newest",
            ),
            models.Index(
                fields=["action", "removed", "-updated_at", "-id"], name="attachment_action_newest"
            ),
            models.Index(
                fields=["decision", "removed", "-updated_at", "-id"],
                name="attachment_decision_newest",
            ),
            models.Index(
                fields=["meeting", "removed", "-updated_at", "-id"],
                name="attachment_meeting_newest",
            ),
            models.Index(
                fields=["agenda_item", "removed", "-updated_at", "-id"],
                name="attachment_item_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="attachment_owner_matches_kind",
                # Exactly the owner kind's field is set; a meeting and its agenda items have
                # no case, every other kind belongs to one.
                condition=(
                    models.Q(
                        owner_kind=OwnerKind.CASE,
                        case__isnull=False,
                        action__isnull=True,
                        decision__isnull=True,
                        meeting__isnull=True,
                        agenda_item__isnull=True,
                    )
                    | models.Q(
                        owner_kind=OwnerKind.ACTION,
                        case__isnull=False,
                        action__isnull=False,
                        decision__isnull=True,
                        meeting__isnull=True,
                        agenda_item__isnull=True,
                    )
                    | models.Q(
                        owner_kind=OwnerKind.DECISION,
                        case__isnull=False,
                        action__isnull=True,
                        decision__isnull=False,
                        meeting__isnull=True,
                        agenda_item__isnull=True,
                    )
                    | models.Q(
                        owner_kind=OwnerKind.MEETING,
                        case__isnull=True,
                        action__isnull=True,
                        decision__isnull=True,
                        meeting__isnull=False,
                        agenda_item__isnull=True,
                    )
                    | models.Q(
                        owner_kind=OwnerKind.AGENDA_ITEM,
                        case__isnull=True,
                        action__isnull=True,
                        decision__isnull=True,
                        meeting__isnull=True,
                        agenda_item__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title


class AttachmentVersion(models.Model):
    """One uploaded file of an attachment; a replacement adds a version, none is overwritten."""

    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_storage_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=FILE_NAME_MAX_LENGTH)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment version")
        verbose_name_plural = _("attachment versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="attachment_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.number})"
