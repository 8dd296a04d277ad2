from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import HISTORY_TRACKERS

from .choices import ItemKind, ItemState

USER = settings.AUTH_USER_MODEL
MINUTES_MAX_LENGTH = 8000
ITEM_TEXT_MAX_LENGTH = 4000
_REASON = {"history_change_reason_field": models.TextField(null=True)}
_meeting_history = HistoricalRecords(m2m_fields=["expected_members", "present_members"], **_REASON)
_item_history = HistoricalRecords(**_REASON)


def plausible_meeting_time(value: datetime) -> None:
    """A meeting of this committee takes place in this century (a mistyped year is refused)."""
    if not 2000 <= value.year <= 2100:
        raise ValidationError(_("Give a date between the years 2000 and 2100."))


def _limited(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


class Meeting(models.Model):
    """A meeting of the committee."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), validators=[plausible_meeting_time])
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, validators=[plausible_meeting_time]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)
    expected_members = models.ManyToManyField(
        USER, blank=True, related_name="meetings_expected", verbose_name=_("members expected")
    )
    present_members = models.ManyToManyField(
        USER, blank=True, related_name="meetings_attended", verbose_name=_("members present")
    )
    agenda_sent_at = models.DateTimeField(_("agenda sent"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = _meeting_history

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["-starts_at", "-id"], name="meeting_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        """The meeting's stable identity in calendars (an update replaces, never duplicates)."""
        return f"meeting-{self.pk}@samverkan"


class AgendaItem(models.Model):
    """An item of a meeting's agenda: a case's status report or proposal, or free text."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("case"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, **_limited(ITEM_TEXT_MAX_LENGTH))
    state = models.CharField(
        _("state"), max_length=12, choices=ItemState.choices, default=ItemState.PROPOSED
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = _item_history

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "position", "id"], name="agenda_item_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="other") | models.Q(case__isnull=False),
                name="agenda_item_case_kind_has_case",
                violation_error_message=_("A status report or proposal refers to a case."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class MinutesVersion(models.Model):
    """One version of an item's minutes. Adjusted ("justerat") versions are locked: a correction
    is a new version, with its reason, never an edit."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("minutes"), **_limited(MINUTES_MAX_LENGTH))
    reason = models.TextField(_("reason for the correction"), blank=True, **_limited(2000))
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    adjusted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="minutes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"

    @property
    def is_adjusted(self) -> bool:
        return self.adjusted_at is not None


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address; revoked feeds answer 404 for ever."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'live'})"


HISTORY_TRACKERS[Meeting] = _meeting_history
HISTORY_TRACKERS[AgendaItem] = _item_history
