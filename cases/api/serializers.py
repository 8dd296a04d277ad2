from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Organisation
from cases import access, selectors
from cases.choices import ActionStatus, CaseStatus, ReviewState
from cases.models import (
    LONG_TEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    ActionUpdate,
    Case,
    Measurement,
    Outcome,
    Participation,
    Theme,
)
from cases.services.outcomes import OUTCOME_EDITABLE_FIELDS
from config.api.fields import (
    StrictCharField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
)
from privacy.api import PersonSerializer

from .fields import VisibleRelatedField

User = get_user_model()
ACTIVE_USERS = User.objects.filter(is_active=True)
ORGANISATIONS = Organisation.objects.all()


class CaseSerializer(StrictModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="slug", queryset=Theme.objects.all())
    scope_areas = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ORGANISATIONS, required=False
    )
    coordinator = StrictPrimaryKeyRelatedField(
        queryset=ACTIVE_USERS, required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you edited (like If-Match); a stale one gets 412.",
    )
    reason = StrictCharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text=(
            "Why the coordinator or the visibility changes: required then, and recorded in the "
            "case's history. Only the committee changes the visibility; the coordinator may hand "
            "coordination over only to a committee member or a member of a participating "
            "organisation (403 / 400 on `coordinator` otherwise)."
        ),
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "problem_description",
            "theme",
            "is_national",
            "scope_areas",
            "priority",
            "visibility",
            "coordinator",
            "start_date",
            "target_date",
            "status",
            "version",
            "reason",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "reference", "status", "created_by", "created_at", "updated_at"]


class ParticipationSerializer(StrictModelSerializer):
    contact_person = StrictPrimaryKeyRelatedField(
        queryset=ACTIVE_USERS, required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(queryset=ORGANISATIONS)
    answer_changeable = serializers.SerializerMethodField(
        help_text=(
            "Whether the organisation's admins may still change their answer: until a case "
            "manager acknowledges it (POST …/acknowledge/), edits or withdraws the participation."
        )
    )

    class Meta:
        model = Participation
        fields = [
            "id",
            "case",
            "organisation",
            "role",
            "mandate",
            "contact_person",
            "state",
            "invited_by",
            "invited_at",
            "responded_by",
            "responded_at",
            "decline_reason",
            "answer_acknowledged_at",
            "answer_changeable",
        ]
        read_only_fields = [
            "id",
            "case",
            "state",
            "invited_by",
            "invited_at",
            "responded_by",
            "responded_at",
            "decline_reason",
            "answer_acknowledged_at",
        ]

    def get_answer_changeable(self, participation: Participation) -> bool:
        return access.answer_changeable(participation)


class ParticipationUpdateSerializer(ParticipationSerializer):
    """Role, mandate and contact person change; the organisation is fixed once invited.

    Declared here, not in `read_only_fields`: DRF ignores that list for fields the parent
    declares, and the schema then promised a writable `organisation` that every PUT had to send.
    """

    organisation = serializers.PrimaryKeyRelatedField(read_only=True)


class CaseDetailSerializer(CaseSerializer):
    participations = ParticipationSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "participations"]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = StrictCharField(max_length=REASON_MAX_LENGTH)


class AcceptSerializer(serializers.Serializer):
    contact_person = StrictPrimaryKeyRelatedField(
        queryset=ACTIVE_USERS, required=False, allow_null=True
    )
    mandate = StrictCharField(required=False, allow_blank=True, max_length=LONG_TEXT_MAX_LENGTH)


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(
        required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default=""
    )


class DeclineSerializer(ReasonSerializer):
    """Why the organisation declines: required (400 on `reason` without it), checked after who
    may answer so that others get their 403/404 first."""


class AcknowledgeSerializer(serializers.Serializer):
    """Nothing to send: the case's manager takes note of the organisation's answer."""


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class TimelineEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = PersonSerializer(allow_null=True)
    object_type = serializers.CharField()
    object_id = serializers.IntegerField()
    object_label = serializers.CharField()
    change_type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField(allow_blank=True)
    changes = FieldChangeSerializer(many=True)


class TimelinePageSerializer(serializers.Serializer):
    """A page of a case's timeline: `next` is the link to the older entries (null on the last
    page); the pages follow each other by position, not by number, so a page costs the same
    however far back it lies and entries added meanwhile never shift a page."""

    next = serializers.URLField(allow_null=True)
    results = TimelineEntrySerializer(many=True)


def _visible_actions(user: Any) -> Any:
    return Action.objects.filter(case__in=access.visible_cases(user))


class ActionSerializer(StrictModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), visible=access.visible_cases)
    lead_organisation = serializers.PrimaryKeyRelatedField(queryset=ORGANISATIONS)
    contributors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ORGANISATIONS, required=False
    )
    assignee = StrictPrimaryKeyRelatedField(queryset=ACTIVE_USERS, required=False, allow_null=True)
    depends_on = VisibleRelatedField(
        many=True, queryset=Action.objects.all(), visible=_visible_actions, required=False
    )
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    is_overdue = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you edited (like If-Match); a stale one gets 412.",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "case",
            "title",
            "description",
            "lead_organisation",
            "contributors",
            "assignee",
            "start_date",
            "due_date",
            "status",
            "depends_on",
            "is_overdue",
            "version",
            "created_by",
            "created_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = ["id", "created_by", "created_at", "updated_at", "completed_at"]


class ActionChangeSerializer(ActionSerializer):
    """An action's case is fixed once created."""

    case = serializers.PrimaryKeyRelatedField(read_only=True)


class ActionUpdateSerializer(StrictModelSerializer):
    """A progress report: `text`, and optionally the action's new `status`."""

    status = serializers.ChoiceField(
        source="new_status", choices=ActionStatus.choices, required=False, allow_blank=True
    )
    author = PersonSerializer(read_only=True)

    class Meta:
        model = ActionUpdate
        fields = ["id", "action", "author", "text", "old_status", "status", "created_at"]
        read_only_fields = ["id", "action", "author", "old_status", "created_at"]


class ProgressSerializer(serializers.Serializer):
    latest_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    latest_date = serializers.DateField(allow_null=True)
    progress = serializers.FloatField(
        allow_null=True, help_text="Share of the way from baseline (0) to target (1)."
    )
    target_reached = serializers.BooleanField()


class OutcomeSerializer(StrictModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), visible=access.visible_cases)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Outcome
        fields = ["id", "case", *OUTCOME_EDITABLE_FIELDS, "progress", "archived_at", "created_at"]
        read_only_fields = ["id", "archived_at", "created_at"]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, outcome: Outcome) -> dict[str, Any]:
        progress = selectors.outcome_progress(outcome)
        if progress["progress"] is not None:
            progress["progress"] = round(float(progress["progress"]), 4)
        return ProgressSerializer(progress).data


class OutcomeChangeSerializer(OutcomeSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)


class MeasurementSerializer(StrictModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=ORGANISATIONS)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "outcome",
            "value",
            "measured_on",
            "organisation",
            "reported_by",
            "note",
            "review_state",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
            "version",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "outcome",
            "reported_by",
            "review_state",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
            "version",
            "created_at",
        ]


# Measurement review: correction, withdrawal, approval and return.


class MeasurementCorrectionSerializer(StrictModelSerializer):
    """A correction: any of value, date and note, always with the reason (kept in history)."""

    # Required, but checked by the service after access, so a refusal is 403 before it is 400.
    reason = StrictCharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you corrected (like If-Match); a stale one gets 412.",
    )

    class Meta:
        model = Measurement
        fields = ["value", "measured_on", "note", "reason", "version"]
        extra_kwargs = {"value": {"required": False}, "measured_on": {"required": False}}


class MeasurementReasonSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required: why the value is withdrawn.",
    )


class MeasurementReturnSerializer(serializers.Serializer):
    comment = StrictCharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required: what the reporter should check or change.",
    )


class MeasurementFilterSerializer(serializers.Serializer):
    review_state = serializers.ChoiceField(choices=ReviewState.choices, required=False)


class CaseListSerializer(serializers.Serializer):
    """A case in a list: the fields of CaseSerializer, read from `.values()` rows.

    Building 50 model instances per page costs more than the rest of the request together;
    see docs/benchmarks.md. The list view fills `scope_areas` with one query for the page.
    """

    VALUES = [
        "id",
        "reference",
        "title",
        "summary",
        "problem_description",
        "theme__slug",
        "is_national",
        "priority",
        "visibility",
        "coordinator_id",
        "start_date",
        "target_date",
        "status",
        "version",
        "created_by_id",
        "created_at",
        "updated_at",
    ]

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    problem_description = serializers.CharField(read_only=True)
    theme = serializers.CharField(source="theme__slug", read_only=True, help_text="Theme slug")
    is_national = serializers.BooleanField(read_only=True)
    scope_areas = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    priority = serializers.ChoiceField(choices=Case._meta.get_field("priority").choices)
    visibility = serializers.ChoiceField(choices=Case._meta.get_field("visibility").choices)
    coordinator = serializers.IntegerField(source="coordinator_id", allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    version = serializers.IntegerField()
    created_by = serializers.IntegerField(source="created_by_id")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        """Direct conversion of a row; the declared fields above document the same shape.

        DRF's per-field machinery was most of the list's cost; the output is identical to the
        detail's (tests/api/test_tokens_and_errors.py compares them).
        """
        zone = timezone.get_current_timezone()
        return {
            "id": row["id"],
            "reference": row["reference"],
            "title": row["title"],
            "summary": row["summary"],
            "problem_description": row["problem_description"],
            "theme": row["theme__slug"],
            "is_national": row["is_national"],
            "scope_areas": row["scope_areas"],
            "priority": row["priority"],
            "visibility": row["visibility"],
            "coordinator": row["coordinator_id"],
            "start_date": _date(row["start_date"]),
            "target_date": _date(row["target_date"]),
            "status": row["status"],
            "version": row["version"],
            "created_by": row["created_by_id"],
            "created_at": _datetime(row["created_at"], zone),
            "updated_at": _datetime(row["updated_at"], zone),
        }


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: datetime, zone: tzinfo) -> str:
    """As DRF's DateTimeField writes it: in the current time zone, UTC as `Z`."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
