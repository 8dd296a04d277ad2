from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.models import Outcome
from config.api.idempotency import idempotent

from .base import ApiViewSet
from .filters import OutcomeFilter
from .serializers import (
    MeasurementFilterSerializer,
    MeasurementSerializer,
    OutcomeChangeSerializer,
    OutcomeSerializer,
    ReasonSerializer,
)


class OutcomeViewSet(mixins.ListModelMixin, ApiViewSet):
    """Goals of the cases you see, each with its computed progress toward target."""

    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
    search_fields = ["title", "indicator"]
    ordering_fields = ["id", "target_date", "title", "created_at"]
    ordering = ["case", "id"]

    def get_queryset(self) -> QuerySet[Outcome]:
        return selectors.outcome_list_for_user(self.request.user)

    def get_serializer_class(self) -> type[OutcomeSerializer]:
        if self.action in ("update", "partial_update"):
            return OutcomeChangeSerializer
        return OutcomeSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        outcome = selectors.outcome_get_for_user(self.request.user, pk=pk)
        data = OutcomeSerializer(outcome, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(responses={201: OutcomeSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        """Set a goal (the committee or the case's coordinator)."""
        data = self.valid(OutcomeSerializer)
        outcome = services.outcome_create(actor=request.user, **data)
        return self._detail(outcome.pk, status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeChangeSerializer, responses={200: OutcomeSerializer})
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        outcome = selectors.outcome_get_for_user(request.user, pk=int(pk))
        if not access.can_manage_outcomes(request.user, outcome.case):
            raise PermissionDenied
        data = self.valid(OutcomeChangeSerializer, instance=outcome, partial=partial)
        services.outcome_update(actor=request.user, outcome=outcome, data=data)
        return self._detail(outcome.pk)

    @extend_schema(request=OutcomeChangeSerializer, responses={200: OutcomeSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=ReasonSerializer, responses={200: OutcomeSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def archive(self, request: Request, pk: str) -> Response:
        """Put the outcome aside with a `reason` (case managers): it keeps its values and
        history but takes no new values and leaves the case's current outcomes."""
        outcome = selectors.outcome_get_for_user(request.user, pk=int(pk))
        data = self.valid(ReasonSerializer)
        services.outcome_archive(actor=request.user, outcome=outcome, reason=data["reason"])
        return self._detail(outcome.pk)

    @extend_schema(request=ReasonSerializer, responses={204: None})
    @route(detail=True, methods=["post"])
    @idempotent
    def remove(self, request: Request, pk: str) -> Response:
        """Delete an outcome set by mistake, with a `reason` (case managers); one with approved
        values is refused (archive it instead). History keeps what was removed."""
        outcome = selectors.outcome_get_for_user(request.user, pk=int(pk))
        data = self.valid(ReasonSerializer)
        services.outcome_remove(actor=request.user, outcome=outcome, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        parameters=[MeasurementFilterSerializer],
        responses={200: MeasurementSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"], request=MeasurementSerializer, responses={201: MeasurementSerializer}
    )
    @route(detail=True, methods=["get", "post"], filter_backends=[])
    def measurements(self, request: Request, pk: str) -> Response:
        """Values of the indicator, oldest first, in every review state unless `review_state`
        names one; a participating organisation reports one (a partner's value starts
        `submitted`, a case manager's `approved`)."""
        reading = request.method != "POST"
        outcome = selectors.outcome_get_for_user(request.user, pk=int(pk), values=not reading)
        if not reading:
            return self._report(request, outcome)
        query = MeasurementFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.outcome_measurements(
            outcome, review_state=query.validated_data.get("review_state")
        )
        return self.paginated(rows, MeasurementSerializer)

    @idempotent
    def _report(self, request: Request, outcome: Outcome) -> Response:
        data = self.valid(MeasurementSerializer)
        measurement = services.measurement_report(actor=request.user, outcome=outcome, **data)
        body = MeasurementSerializer(measurement, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
