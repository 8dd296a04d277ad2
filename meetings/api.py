"""The meetings in the API: meetings, agenda items (proposals included) and minutes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import visible_cases
from cases.api.base import ApiViewSet
from cases.models import Case
from config.api.fields import StrictCharField, StrictModelSerializer
from config.api.idempotency import idempotent

from . import access, selectors, services
from .choices import ItemKind
from .models import ITEM_TEXT_MAX_LENGTH, MINUTES_MAX_LENGTH, AgendaItem, Meeting, MinutesVersion


class CaseReference(serializers.SlugRelatedField):
    """A case by its reference, among the cases the caller may see."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="reference", **kwargs)

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.context["request"].user)


class MinutesSerializer(StrictModelSerializer):
    written_by = serializers.CharField(source="written_by.get_username", read_only=True)
    adjusted_by = serializers.CharField(
        source="adjusted_by.get_username", read_only=True, allow_null=True, default=None
    )
    is_adjusted = serializers.BooleanField(read_only=True)

    class Meta:
        model = MinutesVersion
        fields = [
            "id",
            "item",
            "number",
            "text",
            "reason",
            "written_by",
            "written_at",
            "adjusted_by",
            "adjusted_at",
            "is_adjusted",
        ]
        read_only_fields = fields


class MinutesWriteSerializer(serializers.Serializer):
    text = StrictCharField(max_length=MINUTES_MAX_LENGTH)


class CorrectionSerializer(MinutesWriteSerializer):
    reason = StrictCharField(max_length=2000)


class AgendaItemSerializer(StrictModelSerializer):
    case = CaseReference(required=False, allow_null=True, default=None, queryset=Case.objects)
    proposed_by = serializers.CharField(source="proposed_by.get_username", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "kind",
            "case",
            "title",
            "description",
            "state",
            "position",
            "proposed_by",
            "created_at",
        ]
        read_only_fields = ["id", "meeting", "state", "position", "proposed_by", "created_at"]
        extra_kwargs = {"description": {"max_length": ITEM_TEXT_MAX_LENGTH}}


class ProposalSerializer(AgendaItemSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    case = CaseReference(queryset=Case.objects)
    kind = serializers.ChoiceField(choices=[ItemKind.STATUS_REPORT, ItemKind.PROPOSAL])

    class Meta(AgendaItemSerializer.Meta):
        read_only_fields = ["id", "state", "position", "proposed_by", "created_at"]


class DecisionSerializer(serializers.Serializer):
    take_up = serializers.BooleanField()
    reason = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class MeetingSerializer(StrictModelSerializer):
    expected_members = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    present_members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "expected_members",
            "present_members",
            "agenda_sent_at",
            "created_at",
        ]
        read_only_fields = ["id", "agenda_sent_at", "created_at"]


class OrderSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=selectors.AGENDA_LIMIT
    )


def _require_meetings(request: Request) -> None:
    if not access.can_view_meetings(request.user):
        raise Http404


class MeetingViewSet(mixins.ListModelMixin, ApiViewSet):
    """The committee's meetings, newest first (the committee and its secretariat)."""

    serializer_class = MeetingSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meeting_list_for_user(self.request.user).prefetch_related(
            "expected_members", "present_members"
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        meeting = selectors.meeting_get_for_user(self.request.user, pk)
        return Response(MeetingSerializer(meeting).data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(responses={201: MeetingSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        _require_meetings(request)
        data = self.valid(MeetingSerializer)
        meeting = services.meeting_create(actor=request.user, **data)
        return self._detail(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingSerializer, responses={200: MeetingSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        meeting = selectors.meeting_get_for_user(request.user, int(pk))
        data = self.valid(MeetingSerializer, instance=meeting, partial=True)
        services.meeting_update(actor=request.user, meeting=meeting, data=data)
        return self._detail(meeting.pk)

    @extend_schema(methods=["GET"], responses={200: AgendaItemSerializer(many=True)}, parameters=[])
    @extend_schema(
        methods=["POST"], request=AgendaItemSerializer, responses={201: AgendaItemSerializer}
    )
    @route(detail=True, methods=["get", "post"])
    def items(self, request: Request, pk: str) -> Response:
        """The agenda in order (items about cases you may not see are left out); the
        secretariat adds an item directly."""
        meeting = selectors.meeting_get_for_user(request.user, int(pk))
        if request.method == "POST":
            return self._add_item(request, meeting)
        return self.paginated(selectors.items_for_user(request.user, meeting), AgendaItemSerializer)

    @idempotent
    def _add_item(self, request: Request, meeting: Meeting) -> Response:
        data = self.valid(AgendaItemSerializer)
        item = services.agenda_item_add(actor=request.user, meeting=meeting, **data)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrderSerializer, responses={204: None})
    @route(detail=True, methods=["post"])
    @idempotent
    def order(self, request: Request, pk: str) -> Response:
        """Put every item of the agenda in the given order."""
        meeting = selectors.meeting_get_for_user(request.user, int(pk))
        data = self.valid(OrderSerializer)
        services.agenda_order(actor=request.user, meeting=meeting, item_ids=data["items"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: MeetingSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def send(self, request: Request, pk: str) -> Response:
        """Send the agenda to the members expected, with a calendar invitation."""
        meeting = selectors.meeting_get_for_user(request.user, int(pk))
        services.agenda_send(actor=request.user, meeting=meeting)
        return self._detail(meeting.pk)


class AgendaItemViewSet(ApiViewSet):
    """Agenda items: a case's coordinator proposes one (POST); the secretariat takes it up."""

    serializer_class = AgendaItemSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return AgendaItem.objects.none()

    def retrieve(self, request: Request, pk: str) -> Response:
        item = selectors.item_get_for_user(request.user, int(pk))
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(request=ProposalSerializer, responses={201: AgendaItemSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        data = self.valid(ProposalSerializer)
        if not access.can_propose_item(request.user, data["case"]):
            raise PermissionDenied
        item = services.agenda_item_propose(actor=request.user, **data)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses={200: AgendaItemSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def decide(self, request: Request, pk: str) -> Response:
        """Take a proposed item up on the agenda, or not (`reason` required then)."""
        item = selectors.item_get_for_user(request.user, int(pk))
        data = self.valid(DecisionSerializer)
        item = services.agenda_item_decide(actor=request.user, item=item, **data)
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(methods=["GET"], responses={200: MinutesSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=MinutesWriteSerializer, responses={200: MinutesSerializer}
    )
    @route(detail=True, methods=["get", "post"])
    def minutes(self, request: Request, pk: str) -> Response:
        """The item's minutes, newest version first; POST writes the draft (refused once
        adjusted: see `correct`)."""
        item = selectors.item_get_for_user(request.user, int(pk))
        if request.method == "POST":
            data = self.valid(MinutesWriteSerializer)
            version = services.minutes_write(actor=request.user, item=item, **data)
            return Response(MinutesSerializer(version).data)
        rows = item.minutes.select_related("written_by", "adjusted_by").order_by("-number")
        return Response(MinutesSerializer(rows[: selectors.AGENDA_LIMIT], many=True).data)

    @extend_schema(request=CorrectionSerializer, responses={201: MinutesSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def correct(self, request: Request, pk: str) -> Response:
        """Correct adjusted minutes: a new version with its reason."""
        item = selectors.item_get_for_user(request.user, int(pk))
        data = self.valid(CorrectionSerializer)
        version = services.minutes_correct(actor=request.user, item=item, **data)
        return Response(MinutesSerializer(version).data, status=status.HTTP_201_CREATED)


class MinutesViewSet(ApiViewSet):
    serializer_class = MinutesSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[MinutesVersion]:
        return MinutesVersion.objects.none()

    def retrieve(self, request: Request, pk: str) -> Response:
        version = selectors.minutes_version_get_for_user(request.user, int(pk))
        return Response(MinutesSerializer(version).data)

    @extend_schema(request=None, responses={200: MinutesSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def adjust(self, request: Request, pk: str) -> Response:
        """Adjust ("justera") the minutes: a committee member other than the writer; locked."""
        version = selectors.minutes_version_get_for_user(request.user, int(pk))
        version = services.minutes_adjust(actor=request.user, version=version)
        return Response(MinutesSerializer(version).data)
