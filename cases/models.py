from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Organisation

from .choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    CaseStatus,
    Direction,
    ParticipationRole,
    ParticipationState,
    Priority,
    ReviewState,
    ValueKind,
    Visibility,
)

USER = settings.AUTH_USER_MODEL

# Longest texts a person may write, in characters. Enforced by the model (max_length on a
# TextField feeds the form's maxlength and DRF's max_length; the validator makes full_clean
# refuse it), not by the database: rows written before the limits stay readable and editable.
PROBLEM_MAX_LENGTH = 10_000
LONG_TEXT_MAX_LENGTH = 4000  # mandates, action and outcome descriptions, progress reports
REASON_MAX_LENGTH = 2000  # reasons for a decision, review comments


def _limited(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


# Kept as module objects so services can write exactly one history record per change, including
# many-to-many values (see cases/history.py).
# A change's reason is kept whole (a correction or a decision may take a paragraph to explain):
# simple-history's default column holds only 100 characters. One field instance per history
# model: a field shared between models belongs to the last one, and a bulk update of one
# history table's reasons would write into another's.
def _history(**options: Any) -> HistoricalRecords:
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **options)


_case_history = _history(m2m_fields=["scope_areas"])
_action_history = _history(m2m_fields=["contributors", "depends_on"])
_participation_history = _history()
_outcome_history = _history()
_measurement_history = _history()


class DateOrderMixin(models.Model):
    """Checks that an end date is not before a start date, with the error next to the field.

    The database also refuses such rows with a check constraint; model validation skips that
    constraint so the user sees one clear message by the field instead of a generic one.
    """

    DATE_ORDER: tuple[str, str, str]  # start field, end field, constraint name

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        start_field, end_field, _name = self.DATE_ORDER
        start, end = getattr(self, start_field), getattr(self, end_field)
        if start and end and end < start:
            raise ValidationError({end_field: _("This date cannot be before the start date.")})

    def get_constraints(self) -> list:
        constraint_name = self.DATE_ORDER[2]
        return [
            (model, [c for c in constraints if c.name != constraint_name])
            for model, constraints in super().get_constraints()
        ]


class Theme(models.Model):
    """A kind of societal challenge, such as youth crime or care queues."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True, **_limited(LONG_TEXT_MAX_LENGTH))

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class CaseReferenceCounter(models.Model):
    """The last case number handed out in a year; its row lock serialises allocation."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Case(DateOrderMixin):
    """A societal challenge that several organisations work on together."""

    DATE_ORDER = ("start_date", "target_date", "case_target_after_start")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    problem_description = models.TextField(
        _("problem description"), blank=True, **_limited(PROBLEM_MAX_LENGTH)
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="cases", verbose_name=_("theme")
    )
    is_national = models.BooleanField(_("national scope"), default=False)
    scope_areas = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="scoped_cases",
        verbose_name=_("geographic scope"),
        help_text=_("The regions and municipalities the case concerns, unless national."),
        limit_choices_to={"kind__in": ["municipality", "region"]},
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.RESTRICTED
    )
    coordinator = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("coordinator"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="created_cases", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = _case_history

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "visibility"]),
            # The case list (page and API) shows the newest first.
            models.Index(fields=["-created_at", "-id"], name="case_created_newest"),
            # Open data (/data/) reads public cases in key order, a page at a time.
            models.Index(fields=["id"], condition=Q(visibility="public"), name="case_public_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(target_date__gte=models.F("start_date")),
                name="case_target_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class CaseStatusChange(models.Model):
    """One transition of a case's status: who, when, why. Never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices)
    reason = models.TextField(_("reason"), **_limited(REASON_MAX_LENGTH))
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.from_status} → {self.to_status}"


class Participation(models.Model):
    """An organisation taking part in a case, with its role and mandate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=12, choices=ParticipationRole.choices)
    mandate = models.TextField(
        _("mandate"),
        blank=True,
        **_limited(LONG_TEXT_MAX_LENGTH),
        help_text=_("What the organisation has the room to decide and commit (handlingsutrymme)."),
    )
    contact_person = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for",
        verbose_name=_("contact person"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ParticipationState.choices,
        default=ParticipationState.INVITED,
    )
    invited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    # The case's manager has taken note of the answer: from then on the organisation can no
    # longer change it (see access.answer_changeable).
    answer_acknowledged_at = models.DateTimeField(_("answer acknowledged"), null=True, blank=True)
    answer_acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer acknowledged by"),
    )

    history = _participation_history

    class Meta:
        ordering = ["case", "organisation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        # "Invitations to answer": an admin's organisations' open invitations, oldest first.
        indexes = [
            models.Index(fields=["organisation", "state", "invited_at"]),
            # The case page and its participants page: a case's participations by state.
            models.Index(fields=["case", "state", "role"], name="participation_case_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="unique_participation_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.case.reference} ({self.role})"


class ActionQuerySet(models.QuerySet["Action"]):
    def overdue(self, today: object | None = None) -> ActionQuerySet:
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today, status__in=OPEN_ACTION_STATUSES)


class Action(DateOrderMixin):
    """A joint action of a case, led by one participating organisation."""

    DATE_ORDER = ("start_date", "due_date", "action_due_after_start")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, **_limited(LONG_TEXT_MAX_LENGTH))
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_actions",
        verbose_name=_("lead organisation"),
    )
    contributors = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="contributed_actions",
        verbose_name=_("contributing organisations"),
    )
    assignee = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_actions",
        verbose_name=_("assignee"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="blocks",
        verbose_name=_("depends on"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = _action_history
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The case page: the first actions of each status, soonest due first.
            models.Index(
                fields=["case", "status", "due_date", "id"], name="action_case_status_due"
            ),
            # A case's actions in their usual order (the API's actions of a case): a page is
            # read from the index, not sorted from all of the case's actions.
            models.Index(fields=["case", "due_date", "id"], name="action_case_due"),
            # "What needs me": open actions longest overdue / soonest due first, read in index
            # order until a group's rows (and its capped count) are found, never sorted whole.
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=OPEN_ACTION_STATUSES),
                name="action_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_date
            and self.status in OPEN_ACTION_STATUSES
            and self.due_date < timezone.localdate()
        )


class ActionUpdate(models.Model):
    """A dated progress report on an action, optionally changing its status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="action_updates")
    text = models.TextField(_("text"), **_limited(LONG_TEXT_MAX_LENGTH))
    old_status = models.CharField(max_length=12, choices=ActionStatus.choices, editable=False)
    new_status = models.CharField(
        _("new status"), max_length=12, choices=ActionStatus.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")

    def __str__(self) -> str:
        return f"{self.action}: {self.text[:40]}"


class Outcome(models.Model):
    """A goal of a case with a measurable indicator, a baseline and a target."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, **_limited(LONG_TEXT_MAX_LENGTH))
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    value_kind = models.CharField(
        _("kind of value"), max_length=8, choices=ValueKind.choices, default=ValueKind.AMOUNT
    )
    min_value = models.DecimalField(
        _("lowest plausible value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A reported value below this is refused as implausible."),
    )
    max_value = models.DecimalField(
        _("highest plausible value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A reported value above this is refused as implausible."),
    )
    # Whether the latest approved value reaches the target now, and when it first did: "target
    # reached" is announced once (target_reached_at), "no longer reached" on each fall after it.
    target_reached = models.BooleanField(default=False, editable=False)
    target_reached_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = _outcome_history

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.title

    def progress_of(self, value: Decimal | None) -> Decimal | None:
        """How far `value` has come from baseline (0) to target (1)."""
        if value is None or self.target_value == self.baseline_value:
            return None
        return (value - self.baseline_value) / (self.target_value - self.baseline_value)


class Measurement(models.Model):
    """A value of an outcome's indicator at a date, reported by an organisation."""

    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.CASCADE,
        related_name="measurements",
        db_index=False,  # measurement_newest (outcome, -measured_on, -id) serves lookups by outcome
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("reporting organisation"),
    )
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    review_state = models.CharField(
        _("review state"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.SUBMITTED,
        editable=False,
    )
    review_comment = models.TextField(
        _("review comment"), blank=True, editable=False, **_limited(REASON_MAX_LENGTH)
    )
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = _measurement_history

    class Meta:
        ordering = ["outcome", "measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            # One value per outcome, organisation and date; a withdrawn one frees its date.
            models.UniqueConstraint(
                fields=["outcome", "organisation", "measured_on"],
                condition=~Q(review_state="withdrawn"),
                name="one_measurement_per_outcome_organisation_date",
            )
        ]
        indexes = [
            models.Index(fields=["review_state", "outcome"]),
            # The review queue: submitted values, oldest report first.
            models.Index(fields=["review_state", "created_at"]),
            # The case page and an outcome's values page: an outcome's newest values, and its
            # newest approved ones for the chart and the progress.
            models.Index(fields=["outcome", "-measured_on", "-id"], name="measurement_newest"),
            models.Index(
                fields=["outcome", "review_state", "-measured_on", "-id"],
                name="measurement_state_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.value} ({self.measured_on})"

    @property
    def counts(self) -> bool:
        """Only approved values count: in charts, progress, the latest value and targets."""
        return self.review_state == ReviewState.APPROVED


HISTORY_TRACKERS: dict[type[models.Model], HistoricalRecords] = {
    Case: _case_history,
    Action: _action_history,
    Participation: _participation_history,
    Outcome: _outcome_history,
    Measurement: _measurement_history,
}


class DashboardVisit(models.Model):
    """When a user last looked at their dashboard, so that what changed since can be marked."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, primary_key=True, related_name="dashboard_visit"
    )
    seen_at = models.DateTimeField()
    # The end of the sitting before the current one: items newer than this are "new".
    previous_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard visit")
        verbose_name_plural = _("dashboard visits")

    # Reloads within a sitting keep the marks: a visit counts as a new one only after this pause.
    SITTING = timedelta(minutes=30)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.seen_at:%Y-%m-%d %H:%M}"

    def since(self, now: datetime) -> datetime | None:
        """What "new" is measured against at `now`: during a sitting, the previous sitting's
        last look; after a pause, the last look. None until there is a previous sitting."""
        if now - self.seen_at > self.SITTING:
            return self.seen_at
        return self.previous_seen_at
