from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from agencies import services
from agencies.choices import OrganisationKind
from agencies.models import ApiToken, Organisation
from cases.access import is_committee
from config.api.filters import StrictFilterSet
from config.api.idempotency import idempotent

from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenSerializer,
    MeSerializer,
    OrganisationSerializer,
)


class OrganisationFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    region_code = django_filters.CharFilter()
    municipality_code = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search", label="Text in the name or number")

    class Meta:
        model = Organisation
        fields = ["kind", "region_code", "municipality_code", "has_regional_duties"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(name_en__icontains=value)
            | Q(organisation_number__icontains=value)
        )


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation directory: public reference data, readable without signing in."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.active()
    filterset_class = OrganisationFilter
    search_fields = ["name", "short_name", "name_en", "organisation_number"]
    ordering_fields = ["name", "kind", "region_code", "municipality_code", "id"]
    ordering = ["name", "id"]


class MeView(generics.RetrieveAPIView):
    """The signed-in user, their organisations and roles, and whether they sit on the committee."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        users = get_user_model().objects.prefetch_related("memberships__organisation")
        user = users.get(pk=request.user.pk)
        user.is_committee = is_committee(request.user)
        return Response(self.get_serializer(user).data)


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal API tokens: create (the secret is shown once), list, revoke (DELETE)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    idempotent_posts = True
    ordering_fields = ["created_at", "name", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def get_throttles(self):  # type: ignore[no-untyped-def]
        self.throttle_scope = "tokens" if self.request.method == "POST" else None
        return super().get_throttles()

    @extend_schema(request=ApiTokenSerializer, responses={201: ApiTokenCreatedSerializer})
    @idempotent(redact=("token",))  # the secret is never stored, so a replay omits it
    def create(self, request: Request) -> Response:
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = services.api_token_create(
            user=request.user, name=serializer.validated_data["name"]
        )
        token.token = secret
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.api_token_revoke(user=self.request.user, token=instance)
