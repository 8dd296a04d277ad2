from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpStatus(models.TextChoices):
    """Whether a follow-up point still waits for its value. Due and overdue are read from the
    date (the day reached, the grace period past), so they hold even before the daily job ran."""

    SCHEDULED = "scheduled", _("Scheduled")
    ANSWERED = "answered", _("Value reported")
    CANCELLED = "cancelled", _("Cancelled (case reopened)")


class Verdict(models.TextChoices):
    """Did the effect hold: the latest approved follow-up value against the target."""

    HELD = "held", _("The effect held")
    PARTLY = "partly", _("The effect partly held")
    NOT_HELD = "not_held", _("The effect did not hold")
    UNKNOWN = "unknown", _("Not yet known")
