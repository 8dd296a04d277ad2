"""Attachments in the API: list an owner's files, upload, replace (a new version), remove, and
download any version the caller may see. Files are sent as multipart/form-data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as route
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import ApiViewSet
from config.api.fields import StrictCharField
from config.api.parsers import StrictFormParser, StrictMultiPartParser
from privacy.api import PersonSerializer

from . import selectors, services
from .choices import OwnerKind
from .downloads import version_response
from .models import TITLE_MAX_LENGTH, Attachment, AttachmentVersion
from .owners import owner_for
from .services import too_large_message
from .sniffing import ACCEPTED_TYPES
from .uploads import refused_too_large

MAX_ID = 2**63 - 1


class VersionSerializer(serializers.ModelSerializer):
    uploaded_by = PersonSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AttachmentVersion
        fields = [
            "number",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, version: AttachmentVersion) -> str:
        return f"/api/v1/attachments/{version.attachment_id}/versions/{version.number}/download/"


class AttachmentSerializer(serializers.ModelSerializer):
    owner_id = serializers.SerializerMethodField()
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    version = serializers.IntegerField(source="revision", read_only=True)
    created_by = PersonSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "owner_kind",
            "owner_id",
            "case",
            "title",
            "file_name",
            "version",
            "created_by",
            "created_at",
            "updated_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_owner_id(self, attachment: Attachment) -> int:
        return int(getattr(attachment, f"{owner_for(attachment.owner_kind).field}_id"))

    def get_download_url(self, attachment: Attachment) -> str:
        return f"/api/v1/attachments/{attachment.pk}/download/"


class FileSerializer(serializers.Serializer):
    """A file field that reports a file stopped for its size (documents/uploads.py)."""

    file = serializers.FileField(allow_empty_file=True, use_url=False)

    def to_internal_value(self, data: Any) -> Any:
        request = self.context.get("request")
        if request is not None and refused_too_large(request, "file"):
            raise serializers.ValidationError({"file": [too_large_message()]})
        return super().to_internal_value(data)


class AttachmentCreateSerializer(FileSerializer):
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    owner_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = StrictCharField(max_length=TITLE_MAX_LENGTH)


class AttachmentReplaceSerializer(FileSerializer):
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, required=False, allow_blank=True)


class OwnerQuerySerializer(serializers.Serializer):
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    owner_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


DOWNLOAD_RESPONSES = {(200, media): OpenApiTypes.BINARY for media in ACCEPTED_TYPES}


class AttachmentViewSet(mixins.ListModelMixin, ApiViewSet):
    """Files attached to cases, actions, decisions and meetings (a meeting's files have no
    case); each answers as the page it is on does (404 to whoever may not see it). Upload and
    replace take multipart/form-data with the `file` last."""

    serializer_class = AttachmentSerializer
    parser_classes: list[type[BaseParser]] = [StrictMultiPartParser, StrictFormParser]
    filter_backends: list[Any] = []
    idempotent_posts = False  # a file upload is not replayed from a stored response

    def get_queryset(self) -> QuerySet[Attachment]:
        return Attachment.objects.none()

    def _owner(self) -> Any:
        query = OwnerQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        kind, pk = query.validated_data["owner_kind"], query.validated_data["owner_id"]
        return selectors.owner_get_for_user(self.request.user, kind=kind, pk=pk)

    @extend_schema(parameters=[OwnerQuerySerializer])
    def list(self, request: Request) -> Response:
        owner = self._owner()
        case = owner_for(request.query_params["owner_kind"]).case_of(owner)
        return self.paginated(selectors.owner_attachments(owner), AttachmentSerializer, case=case)

    def _detail(self, attachment: Attachment, code: int = status.HTTP_200_OK) -> Response:
        context = {**self.get_serializer_context(), "case": attachment.case}
        return Response(AttachmentSerializer(attachment, context=context).data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(selectors.attachment_get_for_user(request.user, pk=int(pk)))

    @extend_schema(
        request={"multipart/form-data": AttachmentCreateSerializer},
        responses={201: AttachmentSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.valid(AttachmentCreateSerializer)
        owner = selectors.owner_get_for_user(
            request.user, kind=data["owner_kind"], pk=data["owner_id"]
        )
        attachment = services.attachment_add(
            actor=request.user, owner=owner, title=data["title"], file=data["file"]
        )
        return self._detail(attachment, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        attachment = selectors.attachment_get_for_user(request.user, pk=int(pk))
        services.attachment_remove(actor=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses={200: VersionSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentReplaceSerializer},
        responses={201: AttachmentSerializer},
    )
    @route(detail=True, methods=["get", "post"])
    def versions(self, request: Request, pk: str) -> Response:
        """Every version, newest first; post a `file` (and optionally a new `title`) to replace
        the current one; the earlier versions stay downloadable."""
        attachment = selectors.attachment_get_for_user(request.user, pk=int(pk))
        if request.method == "POST":
            data = self.valid(AttachmentReplaceSerializer)
            attachment = services.attachment_replace(
                actor=request.user,
                attachment=attachment,
                file=data["file"],
                title=data.get("title", ""),
            )
            return self._detail(attachment, status.HTTP_201_CREATED)
        versions = selectors.attachment_versions(attachment)
        return self.paginated(versions, VersionSerializer, case=attachment.case)

    @extend_schema(responses=DOWNLOAD_RESPONSES)
    @route(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> Any:
        """The current version's file."""
        return version_response(selectors.version_get_for_user(request.user, pk=int(pk)))

    @extend_schema(
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH)],
        responses=DOWNLOAD_RESPONSES,
    )
    @route(
        detail=True,
        methods=["get"],
        url_path=r"versions/(?P<number>[0-9]{1,9})/download",
        url_name="version-download",
    )
    def version_download(self, request: Request, pk: str, number: str) -> Any:
        """One version's file, earlier ones included."""
        version = selectors.version_get_for_user(request.user, pk=int(pk), number=int(number))
        return version_response(version)
