"""Lessons learned in the API: the library (every lesson of the cases you see, searchable) and
recording a lesson on a case (404 for a case you may not see)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors as case_selectors
from cases.api.base import ApiViewSet
from config.api.fields import StrictCharField, StrictModelSerializer
from config.api.idempotency import idempotent

from . import search, selectors, services
from .models import TEXT_MAX_LENGTH, WAY_MAX_LENGTH, Lesson
from .sectors import sector_mix_label


class LessonSerializer(StrictModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sector_mix_label = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "case",
            "case_reference",
            "way_of_working",
            "what_worked",
            "what_did_not",
            "theme",
            "sector_mix",
            "sector_mix_label",
            "organisation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sector_mix_label(self, lesson: Lesson) -> str:
        return sector_mix_label(lesson.sector_mix)


class LessonWriteSerializer(serializers.Serializer):
    way_of_working = StrictCharField(max_length=WAY_MAX_LENGTH)
    what_worked = StrictCharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    what_did_not = StrictCharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)


class LessonUpdateSerializer(serializers.Serializer):
    way_of_working = StrictCharField(max_length=WAY_MAX_LENGTH, required=False)
    what_worked = StrictCharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    what_did_not = StrictCharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)


class LessonFilter(filters.FilterSet):
    q = filters.CharFilter(method="search_words", label="Words (Swedish full text)")
    theme = filters.CharFilter(field_name="theme__slug", label="Theme (slug)")
    sector_mix = filters.CharFilter(field_name="sector_mix", label="Sector mix key")
    case = filters.NumberFilter(field_name="case_id")

    class Meta:
        model = Lesson
        fields = ["q", "theme", "sector_mix", "case"]

    def search_words(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        return search.search(queryset, value)


class LessonViewSet(mixins.ListModelMixin, ApiViewSet):
    """Lessons learned on the cases you see (anonymous: public cases), newest first; with `q`,
    the best match first."""

    http_method_names = ["get", "patch", "head", "options"]

    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    ordering_fields: list[str] = []
    queryset = Lesson.objects.none()  # for the schema; requests read get_queryset()

    def get_queryset(self) -> QuerySet[Lesson]:
        if getattr(self, "swagger_fake_view", False):
            return Lesson.objects.none()
        return selectors.lessons_for_user(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        lesson = selectors.lesson_get_for_user(request.user, pk=int(pk))
        return Response(LessonSerializer(lesson, context=self.get_serializer_context()).data)

    @extend_schema(request=LessonUpdateSerializer, responses={200: LessonSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Correct a lesson's text: whoever recorded it and the case's managers. The history
        keeps what it said before."""
        lesson = selectors.lesson_get_for_user(request.user, pk=int(pk))
        data = self.valid(LessonUpdateSerializer)
        current = {
            "way_of_working": lesson.way_of_working,
            "what_worked": lesson.what_worked,
            "what_did_not": lesson.what_did_not,
        }
        lesson = services.lesson_update(actor=request.user, lesson=lesson, **{**current, **data})
        return Response(LessonSerializer(lesson, context=self.get_serializer_context()).data)


class CaseLessonViewSet(mixins.ListModelMixin, ApiViewSet):
    """A case's lessons learned; recorded once the case is evaluated or closed."""

    serializer_class = LessonSerializer
    ordering_fields: list[str] = []
    queryset = Lesson.objects.none()

    def get_queryset(self) -> QuerySet[Lesson]:
        if getattr(self, "swagger_fake_view", False):
            return Lesson.objects.none()
        case = case_selectors.case_get_for_user(self.request.user, pk=int(self.kwargs["id"]))
        return selectors.lessons_for_user(self.request.user).filter(case=case)

    @extend_schema(request=LessonWriteSerializer, responses={201: LessonSerializer})
    @idempotent
    def create(self, request: Request, **kwargs: str) -> Response:
        """Record a lesson: the committee, the coordinator and members of organisations that
        worked on the case. Tagged with the case's theme and sector mix."""
        case = case_selectors.case_get_for_user(request.user, pk=int(self.kwargs["id"]))
        data = self.valid(LessonWriteSerializer)
        lesson = services.lesson_record(actor=request.user, case=case, **data)
        body = LessonSerializer(lesson, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
