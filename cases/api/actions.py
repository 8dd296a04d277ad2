from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.models import Action
from config.api.etags import expected_version, with_etag
from config.api.idempotency import idempotent

from .base import ApiViewSet
from .filters import ActionFilter
from .serializers import ActionChangeSerializer, ActionSerializer, ActionUpdateSerializer


class ActionViewSet(mixins.ListModelMixin, ApiViewSet):
    """Joint actions of the cases you see; partners change those their organisation works on."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "start_date", "created_at", "updated_at", "title", "status"]
    ordering = ["due_date", "id"]
    etag_versioned = True

    def get_queryset(self) -> QuerySet[Action]:
        return selectors.action_list_for_user(self.request.user)

    def get_serializer_class(self) -> type[ActionSerializer]:
        if self.action in ("update", "partial_update"):
            return ActionChangeSerializer
        return ActionSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        action = selectors.action_get_for_user(self.request.user, pk=pk)
        data = ActionSerializer(action, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), action.version)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(responses={201: ActionSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        data = self.valid(ActionSerializer)
        data.pop("version", None)
        action = services.action_create(actor=request.user, **data)
        return self._detail(action.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionChangeSerializer,
        responses={200: ActionSerializer},
        description=(
            "A contributing organisation changes only `status` (and posts progress updates); "
            "changing any other field of an action another organisation leads answers 403, "
            "naming the fields."
        ),
    )
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        action = selectors.action_get_for_user(request.user, pk=int(pk))
        if not access.can_report_action_progress(request.user, action):
            raise PermissionDenied
        data = self.valid(ActionChangeSerializer, instance=action, partial=partial)
        expected = expected_version(request, data.pop("version", None))
        services.action_update(
            actor=request.user, action=action, data=data, expected_version=expected
        )
        return self._detail(action.pk)

    @extend_schema(request=ActionChangeSerializer, responses={200: ActionSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(methods=["GET"], responses={200: ActionUpdateSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=ActionUpdateSerializer, responses={201: ActionUpdateSerializer}
    )
    @route(detail=True, methods=["get", "post"], filter_backends=[])
    def updates(self, request: Request, pk: str) -> Response:
        """Progress reports, newest first; post `text` and optionally the action's new `status`."""
        action = selectors.action_get_for_user(request.user, pk=int(pk))
        if request.method == "POST":
            return self._post_update(request, action)
        updates = selectors.action_updates_for_user(request.user, action=action)
        return self.paginated(updates, ActionUpdateSerializer, case=action.case)

    @idempotent
    def _post_update(self, request: Request, action: Action) -> Response:
        data = self.valid(ActionUpdateSerializer)
        update = services.action_update_post(
            actor=request.user,
            action=action,
            text=data["text"],
            new_status=data.get("new_status", ""),
        )
        body = ActionUpdateSerializer(update, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
