from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ExperienceKind, ExperienceStatus
from .identity_numbers import no_identity_number

TEXT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
REPLY_MAX_LENGTH = 4000


def _guarded(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit), no_identity_number]}


class Experience(models.Model):
    """An experience or suggestion from the public about a public case, moderated before it
    is shown; the contact e-mail is kept only until a reply is sent (or its retention ends)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("kind"), max_length=20, choices=ExperienceKind.choices)
    text = models.TextField(_("text"), **_guarded(TEXT_MAX_LENGTH))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExperienceStatus.choices,
        default=ExperienceStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True, **_guarded(REASON_MAX_LENGTH))
    reply = models.TextField(_("reply"), blank=True, **_guarded(REPLY_MAX_LENGTH))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    # The reply's e-mail: claimed by one sender at a time (a lease), sent at least once.
    reply_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reply_sent_at = models.DateTimeField(_("reply sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        indexes = [
            # A case's queue (oldest first) and its published list (newest first), read both ways.
            models.Index(fields=["case", "status", "submitted_at", "id"], name="experience_case"),
            # The committee's queue across cases.
            models.Index(fields=["status", "submitted_at", "id"], name="experience_status"),
            # The retention purge and the reply sweep read only rows that still hold an address.
            models.Index(
                fields=["submitted_at"],
                condition=~Q(contact_email=""),
                name="experience_with_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_pending(self) -> bool:
        return self.status == ExperienceStatus.PENDING

    @property
    def reply_pending(self) -> bool:
        return bool(self.reply) and self.reply_sent_at is None
