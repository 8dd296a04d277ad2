from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class MeasurementImport(models.Model):
    """An uploaded file of measurements for a case: its rows as read and checked, waiting for
    its uploader to confirm them (then written all at once) or to upload a corrected file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    # One dict per data row: its line, its values as read, what it does and its errors by column.
    rows = models.JSONField(default=list)
    reason = models.TextField(_("reason for the corrections"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("written"), null=True, blank=True)

    class Meta:
        verbose_name = _("measurement import")
        verbose_name_plural = _("measurement imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_by_user")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.case_id})"
