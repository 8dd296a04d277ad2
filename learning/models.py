from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ObstacleKind

TEXT_MAX_LENGTH = 4000
_REASON = {"history_change_reason_field": models.TextField(null=True)}


def _limited(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


class ObstacleGroup(models.Model):
    """Obstacles of one kind and statute across cases: what the committee escalates."""

    kind = models.CharField(_("kind"), max_length=20, choices=ObstacleKind.choices)
    statute_key = models.CharField(_("statute"), max_length=200, blank=True, editable=False)
    statute = models.CharField(_("statute as first cited"), max_length=200, blank=True)
    # Kept by the services in the transaction that adds an obstacle, so the register is read
    # in the order of an index, never sorted by a count over every obstacle.
    case_count = models.PositiveIntegerField(default=0, editable=False)
    obstacle_count = models.PositiveIntegerField(default=0, editable=False)
    last_recorded_at = models.DateTimeField(null=True, editable=False)
    escalated_to = models.CharField(_("escalated to"), max_length=200, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField(_("response"), blank=True, **_limited(TEXT_MAX_LENGTH))
    response_on = models.DateField(_("response received on"), null=True, blank=True)
    history = HistoricalRecords(**_REASON)

    class Meta:
        verbose_name = _("obstacle group")
        verbose_name_plural = _("obstacle groups")
        constraints = [
            models.UniqueConstraint(fields=["kind", "statute_key"], name="obstacle_group_unique")
        ]
        indexes = [
            models.Index(
                fields=["-case_count", "-last_recorded_at", "-id"], name="obstacle_group_rank"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.statute}"
            if self.statute
            else self.get_kind_display()
        )

    @property
    def is_escalated(self) -> bool:
        return self.escalated_on is not None


class Obstacle(models.Model):
    """Something that holds a case back, recorded by a participant, with a proposal."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="obstacles")
    group = models.ForeignKey(ObstacleGroup, on_delete=models.PROTECT, related_name="obstacles")
    kind = models.CharField(_("kind"), max_length=20, choices=ObstacleKind.choices)
    statute = models.CharField(
        _("statute and section"),
        max_length=200,
        blank=True,
        help_text=_("For a legal obstacle: the law, chapter and section, e.g. “OSL 25 kap. 1 §”."),
    )
    title = models.CharField(_("title"), max_length=200)
    effect = models.TextField(_("effect on the case"), **_limited(TEXT_MAX_LENGTH))
    proposal = models.TextField(_("proposal"), blank=True, **_limited(TEXT_MAX_LENGTH))
    organisations = models.ManyToManyField(
        "agencies.Organisation", related_name="+", verbose_name=_("organisations affected")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(m2m_fields=["organisations"], **_REASON)

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        indexes = [
            models.Index(fields=["case", "-recorded_at", "-id"], name="obstacle_case_newest"),
            models.Index(fields=["group", "-recorded_at", "-id"], name="obstacle_group_newest"),
        ]

    def __str__(self) -> str:
        return self.title
