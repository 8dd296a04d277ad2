from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    EVALUATING = "evaluating", _("Evaluating")
    CLOSED = "closed", _("Closed")


# draft -> active <-> on_hold -> evaluating -> closed, and active -> evaluating.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.DRAFT: frozenset({CaseStatus.ACTIVE}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.ON_HOLD, CaseStatus.EVALUATING}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.ACTIVE, CaseStatus.EVALUATING}),
    CaseStatus.EVALUATING: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class Visibility(models.TextChoices):
    RESTRICTED = "restricted", _("Restricted")
    PUBLIC = "public", _("Public")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    CONTRIBUTOR = "contributor", _("Contributor")
    OBSERVER = "observer", _("Observer")


class ParticipationState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class ValueKind(models.TextChoices):
    """What an outcome's number counts; it decides what a value may be and how it is shown."""

    COUNT = "count", _("Count (whole number, 0 or more)")
    PERCENT = "percent", _("Percent (0–100)")
    AMOUNT = "amount", _("Amount (decimal)")
    RATE = "rate", _("Rate (decimal, 0 or more)")


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
