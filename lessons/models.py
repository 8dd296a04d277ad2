from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TEXT_MAX_LENGTH = 4000
WAY_MAX_LENGTH = 200


def _limited(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


class Lesson(models.Model):
    """What worked and what did not with one way of working on a case, for other cases."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="lessons")
    way_of_working = models.CharField(
        _("way of working"),
        max_length=WAY_MAX_LENGTH,
        help_text=_(
            "E.g. “joint case conference police–social services” or “shared data on school "
            "absence”."
        ),
    )
    what_worked = models.TextField(_("what worked"), blank=True, **_limited(TEXT_MAX_LENGTH))
    what_did_not = models.TextField(_("what did not work"), blank=True, **_limited(TEXT_MAX_LENGTH))
    # The case's theme and the sectors working on it when the lesson was recorded: the lesson
    # keeps telling what it was learned in, whatever the case becomes later.
    theme = models.ForeignKey(
        "cases.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme")
    )
    sector_mix = models.CharField(_("sector mix"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # PostgreSQL full-text search ('swedish'); kept by the services, read through a GIN index
    # (migration 0002). Empty on SQLite, where the library searches with icontains.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["search_vector"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="lesson_newest"),
            models.Index(fields=["case", "-created_at", "-id"], name="lesson_case_newest"),
            models.Index(fields=["theme", "-created_at", "-id"], name="lesson_theme_newest"),
            models.Index(fields=["sector_mix", "-created_at", "-id"], name="lesson_mix_newest"),
        ]

    def __str__(self) -> str:
        return self.way_of_working


class LessonRequest(models.Model):
    """The coordinator is asked for the case's lessons once it is evaluated or closed."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="lesson_request"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for lessons learned")
        verbose_name_plural = _("requests for lessons learned")
        indexes = [
            # The daily reminder reads the open requests that were not reminded, oldest first.
            models.Index(
                fields=["requested_at"],
                condition=models.Q(fulfilled_at__isnull=True, reminded_at__isnull=True),
                name="lesson_request_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.requested_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.fulfilled_at is None
