"""Citizens' experiences in the API: anyone reads what is published on a public case and shares
an experience (throttled per client address, with the web form); the case's coordinator and the
committee moderate, and only they see contact e-mail addresses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as route
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from cases.api.base import ApiViewSet
from config.api.fields import StrictCharField
from config.api.idempotency import idempotent

from . import selectors, services
from .choices import ExperienceKind
from .identity_numbers import no_identity_number
from .models import REASON_MAX_LENGTH, REPLY_MAX_LENGTH, TEXT_MAX_LENGTH, Experience
from .throttle import submission_allowed


class PublicExperienceSerializer(serializers.ModelSerializer):
    """What anyone may read: never the contact e-mail, nor who moderated."""

    class Meta:
        model = Experience
        fields = ["id", "kind", "text", "status", "submitted_at"]
        read_only_fields = fields


class ExperienceSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExperienceKind.choices)
    text = StrictCharField(max_length=TEXT_MAX_LENGTH, validators=[no_identity_number])
    contact_email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="Only for a reply; never published, removed once the reply is sent.",
    )


class ModeratedExperienceSerializer(serializers.ModelSerializer):
    """A moderator's view, with the contact e-mail (until the reply is sent)."""

    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    # Empty when none was left, or once the reply was sent or its retention ended.
    contact_email = serializers.CharField(read_only=True)

    class Meta:
        model = Experience
        fields = [
            "id",
            "case",
            "kind",
            "text",
            "status",
            "contact_email",
            "submitted_at",
            "moderated_by",
            "moderated_at",
            "rejection_reason",
            "reply",
            "replied_at",
            "reply_sent_at",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    rejection_reason = StrictCharField(
        max_length=REASON_MAX_LENGTH, validators=[no_identity_number]
    )


class ReplySerializer(serializers.Serializer):
    reply = StrictCharField(max_length=REPLY_MAX_LENGTH, validators=[no_identity_number])


class SubmissionThrottle(BaseThrottle):
    """Submissions per client address, counted together with the web form's (scope
    "experiences"); reading is not counted."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method != "POST":
            return True
        allowed, self._wait = submission_allowed(request)
        return allowed

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class PublicExperienceViewSet(mixins.ListModelMixin, ApiViewSet):
    """Published experiences and suggestions of a public case, newest first (no sign-in); a
    case that is not public, or still a draft, does not exist here (404)."""

    serializer_class = PublicExperienceSerializer
    permission_classes = [AllowAny]
    ordering_fields: list[str] = []
    filter_backends: list = []

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), SubmissionThrottle()]

    def get_queryset(self) -> QuerySet[Experience]:
        if getattr(self, "swagger_fake_view", False):
            return Experience.objects.none()
        case = selectors.public_case_get(reference=self.kwargs["reference"])
        return selectors.published_of_case(case)

    @extend_schema(request=ExperienceSubmitSerializer, responses={201: PublicExperienceSerializer})
    @idempotent
    def create(self, request: Request, reference: str) -> Response:
        """Share an experience or a suggestion. It is published only after moderation; a text
        with a personal identity number is refused (400). At most a few per minute from one
        address (429 after)."""
        case = selectors.public_case_get(reference=reference)
        data = self.valid(ExperienceSubmitSerializer)
        experience = services.experience_submit(case=case, **data)
        return Response(PublicExperienceSerializer(experience).data, status=status.HTTP_201_CREATED)


class ExperienceFilter(filters.FilterSet):
    case = filters.CharFilter(field_name="case__reference")

    class Meta:
        model = Experience
        fields = ["case", "status", "kind"]


class ExperienceModerationViewSet(mixins.ListModelMixin, ApiViewSet):
    """Experiences on the cases you moderate (their coordinator, the committee), oldest first;
    with the contact e-mail. Others find none."""

    serializer_class = ModeratedExperienceSerializer
    filterset_class = ExperienceFilter
    ordering_fields = ["submitted_at", "id"]
    ordering = ["submitted_at", "id"]

    def get_queryset(self) -> QuerySet[Experience]:
        if getattr(self, "swagger_fake_view", False):
            return Experience.objects.none()
        return selectors.experiences_for_moderator(self.request.user).order_by("submitted_at", "id")

    def retrieve(self, request: Request, pk: str) -> Response:
        experience = selectors.experience_get_for_moderator(request.user, pk=int(pk))
        return Response(ModeratedExperienceSerializer(experience).data)

    @extend_schema(request=None, responses={200: ModeratedExperienceSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def publish(self, request: Request, pk: str) -> Response:
        """Publish it on the case's public page; the case's followers hear of it."""
        experience = selectors.experience_get_for_moderator(request.user, pk=int(pk))
        experience = services.experience_publish(actor=request.user, experience=experience)
        return Response(ModeratedExperienceSerializer(experience).data)

    @extend_schema(request=RejectSerializer, responses={200: ModeratedExperienceSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def reject(self, request: Request, pk: str) -> Response:
        """Reject it, saying why (seen by the moderators only)."""
        experience = selectors.experience_get_for_moderator(request.user, pk=int(pk))
        data = self.valid(RejectSerializer)
        experience = services.experience_reject(
            actor=request.user, experience=experience, reason=data["rejection_reason"]
        )
        return Response(ModeratedExperienceSerializer(experience).data)

    @extend_schema(request=ReplySerializer, responses={200: ModeratedExperienceSerializer})
    @route(detail=True, methods=["post"])
    @idempotent
    def reply(self, request: Request, pk: str) -> Response:
        """Reply by e-mail to the address the sender left; the address is removed once sent."""
        experience = selectors.experience_get_for_moderator(request.user, pk=int(pk))
        data = self.valid(ReplySerializer)
        experience = services.experience_reply(
            actor=request.user, experience=experience, reply=data["reply"]
        )
        return Response(ModeratedExperienceSerializer(experience).data)
