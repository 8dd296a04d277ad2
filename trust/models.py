"""Trust self-assessments: rounds in which each working organisation of a case scores the eight
principles. Answers belong to an organisation, never to a person: no table here names who
submitted them, and the history of an answer keeps its earlier values without a user."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Principle

COMMENT_MAX_LENGTH = 1000
INTERVAL_CHOICES = [
    (1, _("Every month")),
    (2, _("Every two months")),
    (3, _("Quarterly")),
    (4, _("Every four months")),
    (6, _("Every six months")),
    (12, _("Once a year")),
]


def _nobody(**kwargs: object) -> None:
    """Answer history keeps values, not who gave them (the organisation answers as one)."""
    return None


class TrustSettings(models.Model):
    """How often a case's organisations are asked; absent means the product's default."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="trust_settings"
    )
    interval_months = models.PositiveSmallIntegerField(
        _("how often"),
        choices=INTERVAL_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("trust self-assessment settings")
        verbose_name_plural = _("trust self-assessment settings")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.interval_months}"


class TrustRound(models.Model):
    """One round of a case's self-assessment: open until its deadline, then closed for good."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="trust_rounds")
    number = models.PositiveIntegerField(_("round"))
    opened_at = models.DateTimeField(_("opened"))
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    asked_count = models.PositiveSmallIntegerField(default=0)
    answered_count = models.PositiveSmallIntegerField(default=0)
    # The case's newest closed round: the committee's overview reads one row per case by index.
    latest = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("trust round")
        verbose_name_plural = _("trust rounds")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="trust_round_number"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(closed_at__isnull=True), name="trust_round_one_open"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(latest=True), name="trust_round_one_latest"
            ),
        ]
        indexes = [
            models.Index(
                fields=["-closed_at", "-id"], condition=Q(latest=True), name="trust_round_latest"
            ),
            models.Index(
                fields=["deadline"], condition=Q(closed_at__isnull=True), name="trust_round_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class TrustResponse(models.Model):
    """An organisation asked in a round; answered once it has scored every principle."""

    round = models.ForeignKey(TrustRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "agencies.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("organisation asked")
        verbose_name_plural = _("organisations asked")
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="trust_response_once")
        ]
        indexes = [
            models.Index(
                fields=["organisation", "round"],
                condition=Q(answered_at__isnull=True),
                name="trust_response_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.organisation_id}"


class TrustAnswer(models.Model):
    """An organisation's score (1–5) of one principle in one round, with an optional comment."""

    response = models.ForeignKey(TrustResponse, on_delete=models.CASCADE, related_name="answers")
    principle = models.CharField(_("principle"), max_length=20, choices=Principle.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    history = HistoricalRecords(get_user=_nobody)

    class Meta:
        verbose_name = _("trust answer")
        verbose_name_plural = _("trust answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "principle"], name="trust_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {self.score}"


class TrustResult(models.Model):
    """A closed round's average of one principle over the organisations that answered; written
    only when enough of them answered that no single organisation's score can be read from it."""

    round = models.ForeignKey(TrustRound, on_delete=models.CASCADE, related_name="results")
    principle = models.CharField(max_length=20, choices=Principle.choices)
    average = models.DecimalField(max_digits=3, decimal_places=2)

    class Meta:
        verbose_name = _("trust average")
        verbose_name_plural = _("trust averages")
        constraints = [
            models.UniqueConstraint(fields=["round", "principle"], name="trust_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.principle}: {self.average}"


def minimum_answers() -> int:
    return settings.TRUST_ROUND_MIN_ANSWERS
