"""The obstacle register in the API: obstacles with their case's access rules; the groups, their
escalation and answer, for the committee."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Organisation
from cases import access
from cases.api.base import ApiViewSet
from cases.api.fields import VisibleRelatedField
from cases.models import Case
from config.api.fields import StrictCharField, StrictModelSerializer
from config.api.idempotency import idempotent

from . import selectors, services
from .models import TEXT_MAX_LENGTH, Obstacle, ObstacleGroup


class ObstacleSerializer(StrictModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), visible=access.visible_cases)
    organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, allow_empty=False
    )
    group = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Obstacle
        fields = [
            "id",
            "case",
            "kind",
            "statute",
            "title",
            "effect",
            "proposal",
            "organisations",
            "group",
            "recorded_at",
        ]
        read_only_fields = ["id", "group", "recorded_at"]


class ObstacleGroupSerializer(StrictModelSerializer):
    class Meta:
        model = ObstacleGroup
        fields = [
            "id",
            "kind",
            "statute",
            "case_count",
            "obstacle_count",
            "escalated_to",
            "escalated_on",
            "decision_reference",
            "response",
            "response_on",
        ]
        read_only_fields = fields


class EscalateSerializer(serializers.Serializer):
    escalated_to = StrictCharField(max_length=200)
    escalated_on = serializers.DateField()
    decision_reference = StrictCharField(max_length=100, required=False, allow_blank=True)


class RespondSerializer(serializers.Serializer):
    response = StrictCharField(max_length=TEXT_MAX_LENGTH)
    response_on = serializers.DateField()


class ObstacleFilter(filters.FilterSet):
    case = filters.NumberFilter(field_name="case_id")
    group = filters.NumberFilter(field_name="group_id")

    class Meta:
        model = Obstacle
        fields = ["case", "group", "kind"]


class ObstacleViewSet(mixins.ListModelMixin, ApiViewSet):
    """Obstacles that hold back the cases you see, newest first."""

    serializer_class = ObstacleSerializer
    filterset_class = ObstacleFilter
    ordering_fields = ["recorded_at", "id"]
    ordering = ["-recorded_at", "-id"]

    def get_queryset(self) -> QuerySet[Obstacle]:
        return selectors.obstacle_list_for_user(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        obstacle = selectors.obstacle_get_for_user(request.user, pk=int(pk))
        return Response(ObstacleSerializer(obstacle, context=self.get_serializer_context()).data)

    @extend_schema(responses={201: ObstacleSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        """Record an obstacle on a case (its managers and members of organisations taking part);
        a legal obstacle cites its statute and section."""
        data = self.valid(ObstacleSerializer)
        obstacle = services.obstacle_record(actor=request.user, **data)
        body = ObstacleSerializer(obstacle, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ObstacleGroupViewSet(mixins.ListModelMixin, ApiViewSet):
    """The committee's register: obstacles of one kind and statute across cases, those holding
    back the most cases first. Others get 404."""

    serializer_class = ObstacleGroupSerializer
    queryset = ObstacleGroup.objects.none()  # for the schema; requests read get_queryset()
    ordering_fields: list[str] = []

    def get_queryset(self) -> QuerySet[ObstacleGroup]:
        if getattr(self, "swagger_fake_view", False):
            return ObstacleGroup.objects.none()
        return selectors.obstacle_groups_for_user(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        group = selectors.obstacle_group_get_for_user(request.user, pk=int(pk))
        return Response(ObstacleGroupSerializer(group).data)

    @extend_schema(request=EscalateSerializer, responses={200: ObstacleGroupSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def escalate(self, request: Request, pk: str) -> Response:
        """Escalate the group; every affected case's coordinator hears of it."""
        group = selectors.obstacle_group_get_for_user(request.user, pk=int(pk))
        data = self.valid(EscalateSerializer)
        group = services.obstacle_group_escalate(actor=request.user, group=group, **data)
        return Response(ObstacleGroupSerializer(group).data)

    @extend_schema(request=RespondSerializer, responses={200: ObstacleGroupSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def respond(self, request: Request, pk: str) -> Response:
        """Record the answer to an escalated group."""
        group = selectors.obstacle_group_get_for_user(request.user, pk=int(pk))
        data = self.valid(RespondSerializer)
        group = services.obstacle_group_respond(actor=request.user, group=group, **data)
        return Response(ObstacleGroupSerializer(group).data)
