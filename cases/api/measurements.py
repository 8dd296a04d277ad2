"""Reported values: read one, correct it (If-Match), withdraw it, and review it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from config.api.etags import expected_version, with_etag
from config.api.idempotency import idempotent

from .base import ApiViewSet
from .serializers import (
    MeasurementCorrectionSerializer,
    MeasurementReasonSerializer,
    MeasurementReturnSerializer,
    MeasurementSerializer,
)


class MeasurementViewSet(ApiViewSet):
    """A value of an outcome's indicator and its review: `submitted` values from partners wait
    for the case's coordinator or the committee; only `approved` values count in progress,
    latest value and "target reached". Values of cases you do not see do not exist (404)."""

    serializer_class = MeasurementSerializer
    etag_versioned = True
    http_method_names = ["get", "patch", "post", "head", "options"]

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        measurement = selectors.measurement_get_for_user(self.request.user, pk=pk)
        data = MeasurementSerializer(measurement, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), measurement.version)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(request=MeasurementCorrectionSerializer, responses={200: MeasurementSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Correct the value, its date or note, with a `reason`; the old value stays in history.
        A correction by the reporting organisation goes back to review."""
        measurement = selectors.measurement_get_for_user(request.user, pk=int(pk))
        data = self.valid(MeasurementCorrectionSerializer, partial=True)
        expected = expected_version(request, data.pop("version", None))
        reason = data.pop("reason", "")  # the service answers a missing one by the field
        services.measurement_correct(
            actor=request.user,
            measurement=measurement,
            data=data,
            reason=reason,
            expected_version=expected,
        )
        return self._detail(measurement.pk)

    @extend_schema(request=MeasurementReasonSerializer, responses={200: MeasurementSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def withdraw(self, request: Request, pk: str) -> Response:
        """Take the value back, with a `reason`: it no longer counts and frees its date."""
        measurement = selectors.measurement_get_for_user(request.user, pk=int(pk))
        data = self.valid(MeasurementReasonSerializer)
        services.measurement_withdraw(
            actor=request.user,
            measurement=measurement,
            reason=data["reason"],
        )
        return self._detail(measurement.pk)

    @extend_schema(request=None, responses={200: MeasurementSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def approve(self, request: Request, pk: str) -> Response:
        """Accept a submitted value (the case's coordinator or the committee); 409 otherwise."""
        measurement = selectors.measurement_get_for_user(request.user, pk=int(pk))
        services.measurement_approve(actor=request.user, measurement=measurement)
        return self._detail(measurement.pk)

    @extend_schema(request=MeasurementReturnSerializer, responses={200: MeasurementSerializer})
    @route(detail=True, methods=["post"], url_path="return")
    @idempotent
    def return_(self, request: Request, pk: str) -> Response:
        """Send a submitted value back to its reporter with a `comment` saying what to change."""
        measurement = selectors.measurement_get_for_user(request.user, pk=int(pk))
        data = self.valid(MeasurementReturnSerializer)
        services.measurement_return(
            actor=request.user, measurement=measurement, comment=data["comment"]
        )
        return self._detail(measurement.pk)
