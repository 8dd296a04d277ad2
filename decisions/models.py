"""The committee's numbered decisions ("2026:14"), on a case, at a meeting or by delegation."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from config.personal_data import no_personal_identity_number
from meetings.models import Meeting

from .choices import DecidedBy

DECISION_TEXT_MAX_LENGTH = 10_000

# Decisions are never changed once taken; the history holds the one record of each, which is
# how a decision appears in its case's timeline (see cases/history.py, TimelineSource).
decision_history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))


class DecisionCounter(models.Model):
    """The last decision number of a year; its row lock serialises allocation."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Decision(models.Model):
    """A decision of the committee on a case, numbered per year without gaps ("2026:14")."""

    year = models.PositiveIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    decided_on = models.DateField(_("date of the decision"))
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("case")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    text = models.TextField(
        _("decision"),
        max_length=DECISION_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(DECISION_TEXT_MAX_LENGTH), no_personal_identity_number],
    )
    decided_by = models.CharField(
        _("decided by"), max_length=20, choices=DecidedBy.choices, default=DecidedBy.COMMITTEE
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegate"),
    )
    revokes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_by",
        verbose_name=_("revokes"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = decision_history

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="decision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_number_positive"),
            models.CheckConstraint(
                condition=(
                    Q(decided_by=DecidedBy.COMMITTEE, delegate__isnull=True)
                    | Q(decided_by=DecidedBy.DELEGATE, delegate__isnull=False, meeting__isnull=True)
                ),
                name="decision_delegate_named_only_by_delegation",
            ),
            models.CheckConstraint(
                condition=~Q(revokes=models.F("pk")), name="decision_not_revoking_itself"
            ),
        ]
        indexes = [
            # The register (newest first) is served by the unique (year, number) index read
            # backwards; a case's decisions, newest first:
            models.Index(fields=["case", "-year", "-number"], name="decision_case_newest"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.year}:{self.number}"
