from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.utils.urls import replace_query_param

from cases import access, selectors, services
from cases.history import TimelineCursor
from cases.models import Case
from config.api.etags import expected_version, with_etag
from config.api.idempotency import idempotent
from config.api.pagination import Pagination

from .base import ApiViewSet
from .filters import CaseFilter
from .serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    CaseSerializer,
    ParticipationSerializer,
    TimelineEntrySerializer,
    TimelinePageSerializer,
    TransitionSerializer,
)

HISTORY_PARAMETERS = [
    OpenApiParameter(
        "before",
        str,
        description="Where the previous page ended (taken from its `next` link); entries "
        "older than that come next. A garbled value is a 400.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
        description="Entries per page, 1 to 100 (default 25); outside that range is a 400.",
    ),
]


def _history_cursor(request: Request) -> TimelineCursor | None:
    """The `before` of the request: None for the first page, a 400 naming it if garbled."""
    if "page" in request.query_params:
        raise ValidationError({"page": [_("The history pages with `before`: follow `next`.")]})
    raw = request.query_params.get("before")
    if raw is None:
        return None
    cursor = TimelineCursor.decode(raw)
    if cursor is None:
        raise ValidationError({"before": [_("Not a position in this history; follow `next`.")]})
    return cursor


class CaseViewSet(ApiViewSet):
    """Cases (societal challenges). Restricted cases of others do not exist for you (404)."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    search_fields = ["title", "summary", "reference"]
    ordering_fields = ["created_at", "reference", "title", "status", "priority", "target_date"]
    ordering = ["-created_at", "-id"]
    etag_versioned = True

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list_for_user(self.request.user)

    def get_serializer_class(self) -> type[Serializer]:
        if self.action == "list":
            return CaseListSerializer
        return CaseSerializer if self.action == "create" else CaseDetailSerializer

    def list(self, request: Request) -> Response:
        """Cases you may see, newest first; filter, search, order and page through them."""
        rows = self.filter_queryset(self.get_queryset()).values(*CaseListSerializer.VALUES)
        page = self.paginate_queryset(rows)
        areas: dict[int, list[int]] = {row["id"]: [] for row in page}
        through = Case.scope_areas.through.objects.filter(case_id__in=list(areas))
        for case_id, area_id in through.values_list("case_id", "organisation_id"):
            areas[case_id].append(area_id)
        for row in page:
            row["scope_areas"] = areas[row["id"]]
        return self.get_paginated_response(CaseListSerializer(page, many=True).data)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        # The overview: also for an organisation invited to the case while it decides.
        case = selectors.case_overview_get_for_user(self.request.user, pk=pk)
        data = CaseDetailSerializer(case, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), case.version)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(responses={201: CaseDetailSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        data = self.valid(CaseSerializer)
        data.pop("version", None)
        data.pop("reason", None)  # a new case records no decision to explain
        case = services.case_create(actor=request.user, **data)
        return self._detail(case.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        case = selectors.case_get_for_user(request.user, pk=int(pk))
        if not access.is_case_manager(request.user, case):
            raise PermissionDenied  # a closed case's managers hear from the service that it is
        data = self.valid(CaseSerializer, instance=case, partial=partial)
        expected = expected_version(request, data.pop("version", None))
        reason = data.pop("reason", "")
        updated = services.case_update(
            actor=request.user, case=case, data=data, expected_version=expected, reason=reason
        )
        if not access.can_view_case(request.user, updated):
            # A coordinator who handed over a restricted case no longer sees it; they get what
            # they wrote, once, rather than a 404 for a change that was made.
            body = CaseDetailSerializer(updated, context=self.get_serializer_context()).data
            return with_etag(Response(body), updated.version)
        return self._detail(case.pk)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=TransitionSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def transition(self, request: Request, pk: str) -> Response:
        """Move the case along draft → active ⇄ on_hold → evaluating → closed (409 if not); a
        closed case is reopened to `active` (or `on_hold`) by its managers, with a reason.
        Closing withdraws the case's open invitations."""
        case = selectors.case_get_for_user(request.user, pk=int(pk))
        data = self.valid(TransitionSerializer)
        services.case_transition(actor=request.user, case=case, **data)
        return self._detail(case.pk)

    @extend_schema(parameters=HISTORY_PARAMETERS, responses={200: TimelinePageSerializer})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        """The case's timeline: every recorded change to it and what belongs to it, newest
        first, a page at a time; follow `next` for older entries."""
        case = selectors.case_get_for_user(request.user, pk=int(pk))
        size = Pagination().get_page_size(request)
        before = _history_cursor(request)
        page = selectors.case_timeline_for_user(request.user, case=case, size=size, before=before)
        older = None
        if page.older is not None:
            older = replace_query_param(request.build_absolute_uri(), "before", page.older.encode())
        context = {**self.get_serializer_context(), "case": case}
        entries = TimelineEntrySerializer(page.entries, many=True, context=context).data
        return Response({"next": older, "results": entries})

    @extend_schema(methods=["GET"], responses={200: ParticipationSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=ParticipationSerializer,
        responses={201: ParticipationSerializer},
        description="Invite an organisation (the committee or the case's coordinator).",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def participations(self, request: Request, pk: str) -> Response:
        """The organisations taking part in the case, invited or answered."""
        if request.method == "POST":
            case = selectors.case_get_for_user(request.user, pk=int(pk))
            return self._invite(request, case)
        case = selectors.case_overview_get_for_user(request.user, pk=int(pk))
        return self.paginated(selectors.case_participations(case), ParticipationSerializer)

    @idempotent
    def _invite(self, request: Request, case: Case) -> Response:
        data = self.valid(ParticipationSerializer)
        participation = services.participation_invite(actor=request.user, case=case, **data)
        body = ParticipationSerializer(participation, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
