"""API of the inbox, email preferences and case follows (/api/v1/notifications/, …/follow/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from cases.selectors import case_get_for_user

from . import selectors, services
from .choices import EmailMode
from .messages import notification_message, notification_path
from .models import Notification
from .preferences import PREFERENCE_KEYS


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="event.kind")
    kind_display = serializers.CharField(source="event.get_kind_display")
    message = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read")

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_display", "message", "case", "link", "created_at", "read"]

    def get_message(self, notification: Notification) -> str:
        return notification_message(notification)

    def get_case(self, notification: Notification) -> dict | None:
        """None also for a case the reader may no longer see (`case_readable` is false)."""
        case = notification.event.case
        if case is None or not notification.case_readable:
            return None
        return {"id": case.pk, "reference": case.reference, "title": case.title}

    def get_link(self, notification: Notification) -> str:
        return notification_path(notification)


class NotificationList(generics.ListAPIView):
    """The user's inbox, newest first; `?unread=true` shows only unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        unread_only = self.request.query_params.get("unread") in {"1", "true", "yes"}
        return selectors.inbox_for_user(self.request.user, unread_only=unread_only)


class UnreadCount(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: {"type": "object", "properties": {"unread": {"type": "integer"}}}}
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(request.user)})


class MarkRead(APIView):
    """Mark one of the user's notifications read (another user's is a 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(selectors.inbox_for_user(request.user), pk=pk)
        services.notification_mark_read(user=request.user, notification_ids=[pk])
        notification.refresh_from_db(fields=["read_at"])
        return Response(NotificationSerializer(notification).data)


class MarkAllRead(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
    )
    def post(self, request: Request) -> Response:
        marked = services.notification_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread": 0})


class PreferencesSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=["sv", "en"], required=False)
    email = serializers.DictField(
        child=serializers.ChoiceField(choices=EmailMode.choices), required=False
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """Refuse keys that name no preference, instead of answering 200 and ignoring them.

        A form or multipart body spells the email modes `email.<event kind>`; a bare `email`
        or `email[kind]` would otherwise be dropped silently (DRF reads only the dotted form).
        """
        if isinstance(data, Mapping):
            unknown = [key for key in data if not self._known_key(key, html.is_html_input(data))]
            if unknown:
                message = _("Not a preference: use language, or email with a mode per event kind.")
                raise serializers.ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)

    @staticmethod
    def _known_key(key: str, is_form: bool) -> bool:
        if is_form:
            return key == "language" or key.startswith("email.")
        return key in ("language", "email")

    def validate_email(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(PREFERENCE_KEYS))
        if unknown:
            raise serializers.ValidationError(
                {
                    kind: serializers.ErrorDetail("Unknown event kind or preference.")
                    for kind in unknown
                }
            )
        return value


class Preferences(APIView):
    """Email mode (immediately, digest, off) per event kind and per `ask.*` key (what asks
    something of you: invitation, assignment, review, returned value), and the emails' language.

    The inbox always receives. PUT changes the kinds it names and leaves the others.
    """

    permission_classes = [IsAuthenticated]

    def _current(self, request: Request) -> Response:
        return Response(
            {
                "language": selectors.notification_language(request.user),
                "email": selectors.email_preferences(request.user),
            }
        )

    @extend_schema(responses={200: PreferencesSerializer})
    def get(self, request: Request) -> Response:
        return self._current(request)

    @extend_schema(request=PreferencesSerializer, responses={200: PreferencesSerializer})
    def put(self, request: Request) -> Response:
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            if "email" in serializer.validated_data:
                services.preferences_set(
                    user=request.user, email_modes=serializer.validated_data["email"]
                )
            if "language" in serializer.validated_data:
                services.notification_language_set(
                    user=request.user, language=serializer.validated_data["language"]
                )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return self._current(request)


class CaseFollow(APIView):
    """Follow (POST) or unfollow (DELETE) a case you can see; GET tells whether you do."""

    permission_classes = [IsAuthenticated]
    follow_schema = {"type": "object", "properties": {"following": {"type": "boolean"}}}

    @extend_schema(responses={200: follow_schema})
    def get(self, request: Request, pk: int) -> Response:
        case = case_get_for_user(request.user, pk=pk)
        return Response({"following": selectors.is_following(request.user, case.pk)})

    @extend_schema(request=None, responses={200: follow_schema, 201: follow_schema})
    def post(self, request: Request, pk: int) -> Response:
        case = case_get_for_user(request.user, pk=pk)
        already = selectors.is_following(request.user, case.pk)
        services.case_follow(case=case, user=request.user)
        code = status.HTTP_200_OK if already else status.HTTP_201_CREATED
        return Response({"following": True}, status=code)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        case = case_get_for_user(request.user, pk=pk)
        services.case_unfollow(case=case, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
