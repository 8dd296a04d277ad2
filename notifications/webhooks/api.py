"""/api/v1/webhook-endpoints/ and /api/v1/webhook-deliveries/: for the admins of the endpoint's
organisation; everyone else gets 404 for an endpoint or delivery they do not manage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.filters import StrictFilterSet

from . import selectors, services
from .choices import DeliveryState
from .models import WebhookDelivery, WebhookEndpoint
from .serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookEndpointWithSecretSerializer,
)

T = TypeVar("T")


def call_service(service: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its Django ValidationError becomes a 400 with field errors."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise serializers.ValidationError(detail) from error


def _own_endpoints(request: Request | None) -> QuerySet[WebhookEndpoint]:
    if request is None:  # the schema generator asks without a request
        return WebhookEndpoint.objects.none()
    return selectors.endpoint_list_for_user(request.user)


class DeliveryFilter(StrictFilterSet):
    state = filters.ChoiceFilter(choices=DeliveryState.choices)
    # Only the asker's own endpoints are valid choices: another organisation's endpoint and an id
    # that does not exist get the same 400, so the filter tells nothing about others' endpoints.
    endpoint = filters.ModelChoiceFilter(
        queryset=_own_endpoints,
        error_messages={"invalid_choice": _("Not one of your endpoints.")},
    )

    class Meta:
        model = WebhookDelivery
        fields = ["state", "endpoint"]


class WebhookEndpointViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    serializer_class = WebhookEndpointSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return selectors.endpoint_list_for_user(self.request.user)

    def get_object(self) -> WebhookEndpoint:
        return selectors.endpoint_get_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("update", "partial_update"):
            return WebhookEndpointUpdateSerializer
        return super().get_serializer_class()

    @extend_schema(responses={201: WebhookEndpointWithSecretSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = WebhookEndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = call_service(
            services.webhook_endpoint_create, actor=request.user, **serializer.validated_data
        )
        body = WebhookEndpointWithSecretSerializer(endpoint).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        serializer = WebhookEndpointUpdateSerializer(
            endpoint, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        endpoint = call_service(
            services.webhook_endpoint_update,
            actor=request.user,
            endpoint=endpoint,
            data=dict(serializer.validated_data),
        )
        return Response(WebhookEndpointSerializer(endpoint).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        call_service(
            services.webhook_endpoint_delete, actor=request.user, endpoint=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=WebhookEndpointWithSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        endpoint = call_service(
            services.webhook_endpoint_rotate_secret,
            actor=request.user,
            endpoint=self.get_object(),
        )
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data)

    @extend_schema(
        parameters=[OpenApiParameter("state", enum=DeliveryState.values)],
        responses=WebhookDeliverySerializer(many=True),
    )
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer)
    def deliveries(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        queryset = selectors.delivery_list_for_user(request.user).filter(endpoint=endpoint)
        queryset = DeliveryFilter(request.query_params, queryset=queryset, request=request).qs
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class WebhookDeliveryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Deliveries of the endpoints the user manages, filterable by state (e.g. ?state=dead)."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    serializer_class = WebhookDeliverySerializer
    filterset_class = DeliveryFilter

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        return selectors.delivery_list_for_user(self.request.user)

    def get_object(self) -> WebhookDelivery:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=None, responses=WebhookDeliverySerializer)
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str) -> Response:
        delivery = call_service(
            services.webhook_delivery_replay, actor=request.user, delivery=self.get_object()
        )
        delivery = selectors.delivery_get_for_user(request.user, delivery.pk)
        return Response(WebhookDeliverySerializer(delivery).data)
