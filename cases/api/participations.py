from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.models import Participation
from config.api.idempotency import idempotent

from .base import ApiViewSet
from .serializers import (
    AcceptSerializer,
    AcknowledgeSerializer,
    DeclineSerializer,
    ParticipationSerializer,
    ParticipationUpdateSerializer,
    ReasonSerializer,
)


class ParticipationViewSet(ApiViewSet):
    """An organisation's part in a case: answer, set mandate and contact, withdraw."""

    serializer_class = ParticipationSerializer
    filter_backends: list = []

    def get_serializer_class(self) -> type[ParticipationSerializer]:
        if self.action in ("update", "partial_update"):
            return ParticipationUpdateSerializer
        return ParticipationSerializer

    def _get(self, pk: str) -> Participation:
        return selectors.participation_get_for_user(self.request.user, pk=int(pk))

    def get_object(self) -> Participation:  # used by DRF's OPTIONS metadata
        return self._get(self.kwargs["pk"])

    def _answer(self, participation: Participation, code: int = status.HTTP_200_OK) -> Response:
        data = ParticipationSerializer(participation, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(self._get(pk))

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        """Change mandate, contact person or (case managers only) role."""
        participation = self._get(pk)
        open_case = access.is_case_open(participation.case)
        if open_case and not access.can_edit_participation(request.user, participation):
            raise PermissionDenied  # in a closed case the service says that it is closed
        data = self.valid(ParticipationUpdateSerializer, instance=participation, partial=partial)
        participation = services.participation_update(
            actor=request.user, participation=participation, data=data
        )
        return self._answer(participation)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=AcceptSerializer, responses={200: ParticipationSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request: Request, pk: str) -> Response:
        """Accept the invitation (an admin of the invited organisation); also changes a
        declining answer while `answer_changeable`."""
        participation = self._get(pk)
        data = self.valid(AcceptSerializer)
        participation = services.participation_accept(
            actor=request.user, participation=participation, **data
        )
        return self._answer(participation)

    @extend_schema(request=DeclineSerializer, responses={200: ParticipationSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def decline(self, request: Request, pk: str) -> Response:
        """Decline the invitation with a reason (an admin of the invited organisation); also
        changes an accepting answer while `answer_changeable`."""
        participation = self._get(pk)
        data = self.valid(DeclineSerializer)
        participation = services.participation_decline(
            actor=request.user, participation=participation, **data
        )
        return self._answer(participation)

    @extend_schema(request=ReasonSerializer, responses={200: ParticipationSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def withdraw(self, request: Request, pk: str) -> Response:
        """End the organisation's part in the case (managers or the organisation's admins)."""
        participation = self._get(pk)
        data = self.valid(ReasonSerializer)
        participation = services.participation_withdraw(
            actor=request.user, participation=participation, **data
        )
        return self._answer(participation)

    @extend_schema(request=AcknowledgeSerializer, responses={200: ParticipationSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Take note of the organisation's answer (the case's managers): it can no longer change."""
        participation = self._get(pk)
        self.valid(AcknowledgeSerializer)
        participation = services.participation_acknowledge(
            actor=request.user, participation=participation
        )
        return self._answer(participation)
