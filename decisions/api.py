"""Decisions in the API: read as their case is read, recorded by the committee."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access
from cases.api.base import ApiViewSet
from cases.api.fields import VisibleRelatedField
from cases.api.filters import IdFilter
from cases.models import Case
from config.api.fields import StrictCharField, StrictPrimaryKeyRelatedField
from config.api.filters import StrictFilterSet
from config.api.idempotency import idempotent
from meetings.models import Meeting

from . import selectors, services
from .choices import DecidedBy
from .models import DECISION_TEXT_MAX_LENGTH, Decision

MAX_YEAR = 9999


def _visible_decisions(user: Any) -> QuerySet[Decision]:
    return selectors.decision_queryset(user)


class DecisionSerializer(serializers.ModelSerializer):
    """A decision as its reader may see it. The delegate is named only to those who read names
    on the case (the committee, its coordinator and participants); others read `decided_by`."""

    reference = serializers.CharField(read_only=True, help_text='"year:number", e.g. "2026:14"')
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    delegate = serializers.SerializerMethodField()
    revokes_reference = serializers.SerializerMethodField()
    revoked_by = serializers.SerializerMethodField()
    revoked_by_reference = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "reference",
            "year",
            "number",
            "decided_on",
            "case",
            "case_reference",
            "meeting",
            "decided_by",
            "delegate",
            "text",
            "revokes",
            "revokes_reference",
            "revoked_by",
            "revoked_by_reference",
            "recorded_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_delegate(self, decision: Decision) -> int | None:
        return decision.delegate_id if getattr(decision, "names_visible", False) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_revokes_reference(self, decision: Decision) -> str | None:
        return decision.revokes.reference if decision.revokes_id else None

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_revoked_by(self, decision: Decision) -> int | None:
        later = getattr(decision, "revoked_by", None)
        return later.pk if later is not None else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_revoked_by_reference(self, decision: Decision) -> str | None:
        later = getattr(decision, "revoked_by", None)
        return later.reference if later is not None else None


class DecisionCreateSerializer(serializers.Serializer):
    """What the committee records; the number is allocated, never chosen."""

    case = VisibleRelatedField(queryset=Case.objects.all(), visible=access.visible_cases)
    decided_on = serializers.DateField()
    text = StrictCharField(max_length=DECISION_TEXT_MAX_LENGTH)
    meeting = StrictPrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    decided_by = serializers.ChoiceField(choices=DecidedBy.choices, default=DecidedBy.COMMITTEE)
    delegate = StrictPrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Only with decided_by=delegate: the committee member who took the decision.",
    )
    revokes = VisibleRelatedField(
        queryset=Decision.objects.all(),
        visible=_visible_decisions,
        required=False,
        allow_null=True,
        help_text="An earlier decision on the same case that this decision revokes.",
    )


# The schema states the bounds the form field checks, so a documented value is never a 400.
@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A year of decisions: a whole number from 1 to 9999 (else 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_YEAR, **kwargs)


class DecisionFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")
    year = YearFilter(field_name="year")

    class Meta:
        model = Decision
        fields = ["case", "year"]


class DecisionViewSet(mixins.ListModelMixin, ApiViewSet):
    """The committee's numbered decisions on the cases you see (public cases' for anyone),
    newest first; the committee records new ones. A decision is never changed or deleted; it
    is revoked only by a later decision that names it in `revokes`."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["year", "number", "decided_on"]
    ordering = ["-year", "-number"]
    search_fields: list[str] = []

    def get_queryset(self) -> QuerySet[Decision]:
        return selectors.decision_list_for_user(self.request.user)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        decision = selectors.decision_get_by_id_for_user(self.request.user, pk=pk)
        return Response(DecisionSerializer(decision).data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        if not access.is_committee(request.user):
            raise PermissionDenied
        data = self.valid(DecisionCreateSerializer)
        decision = services.decision_take(actor=request.user, **data)
        return self._detail(decision.pk, status.HTTP_201_CREATED)
