from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import FollowUpStatus


class FollowUp(models.Model):
    """A point after closing at which an outcome's lead organisation reports its value again."""

    outcome = models.ForeignKey(
        "cases.Outcome", on_delete=models.CASCADE, related_name="followups", db_index=False
    )
    # The outcome's case, kept here so a case's follow-ups and the portfolio's overdue flag are
    # read over an index of this table alone.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="followups", db_index=False
    )
    months = models.PositiveSmallIntegerField(_("months after closing"))
    closed_on = models.DateField(_("case closed on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED
    )
    measurement = models.OneToOneField(
        "cases.Measurement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup",
        verbose_name=_("reported value"),
    )
    # Set by the daily job with a conditional UPDATE: each reminder goes once.
    due_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("effect follow-up")
        verbose_name_plural = _("effect follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "months"], name="followup_outcome_months")
        ]
        indexes = [
            # A case's follow-ups on its page and in the API, in the order shown.
            models.Index(fields=["case", "due_on", "id"], name="followup_case_due"),
            # The daily job and the portfolio flag: waiting follow-ups by due date.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status="scheduled"),
                name="followup_waiting_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} +{self.months}"

    @property
    def overdue_after(self) -> date:
        return self.due_on + timedelta(days=settings.FOLLOWUP_GRACE_DAYS)

    def is_due(self, today: date) -> bool:
        return self.status == FollowUpStatus.SCHEDULED and today >= self.due_on

    def is_overdue(self, today: date) -> bool:
        return self.status == FollowUpStatus.SCHEDULED and today > self.overdue_after
