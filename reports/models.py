from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind, ReportState


def report_file_path(report: Report, filename: str) -> str:
    return f"reports/{report.created_at:%Y/%m}/{report.uuid}.pdf"


class Report(models.Model):
    """A PDF report generated in the background for the person who asked for it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=8, choices=ReportState.choices, default=ReportState.QUEUED
    )
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=report_file_path, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="report_requester_newest"),
            # The retention purge reads the oldest finished reports first.
            models.Index(fields=["state", "finished_at"], name="report_state_finished"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=ReportKind.PORTFOLIO, case__isnull=True)
                | models.Q(kind=ReportKind.CASE, case__isnull=False),
                name="report_case_only_for_case_reports",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"

    @property
    def progress(self) -> int:
        """Share done, in whole percent."""
        if self.state == ReportState.READY:
            return 100
        if not self.steps_total:
            return 0
        return min(99, self.steps_done * 100 // self.steps_total)
