"""REST API of reports: the case report as a PDF, the portfolio report in the background (ask,
follow its progress, download)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors

from . import generation, services
from .choices import ReportKind, ReportState
from .models import Report
from .rendering import report_language
from .selectors import report_get_for_user
from .views import case_report_filename, pdf_response

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The report as a PDF.")
LANGUAGE = OpenApiParameter(
    "language",
    str,
    enum=["sv", "en"],
    description="The report's language; the request's language when left out.",
)


class ReportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True, help_text="Case reports only."
    )
    language = serializers.ChoiceField(choices=["sv", "en"], read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text="Percent done.")
    download = serializers.SerializerMethodField(help_text="Where the PDF is, once ready.")

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "case",
            "language",
            "state",
            "progress",
            "page_count",
            "created_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, report: Report) -> str | None:
        if report.state != ReportState.READY:
            return None
        return reverse("api-report-download", kwargs={"uuid": report.uuid})


class PortfolioRequestSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=["sv", "en"], required=False)


class CaseReportView(APIView):
    @extend_schema(
        operation_id="cases_report",
        tags=["reports"],
        parameters=[LANGUAGE],
        responses={(200, "application/pdf"): PDF},
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        """The case report (lägesrapport) of a case the caller may see, as a PDF."""
        case = case_selectors.case_get_for_user(request.user, reference=reference)
        language = report_language(request.query_params.get("language"))
        pdf, _pages = generation.case_report_pdf(request.user, case, language)
        return pdf_response(pdf, case_report_filename(case.reference))


class PortfolioReportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="reports_portfolio_create",
        tags=["reports"],
        request=PortfolioRequestSerializer,
        responses={202: ReportSerializer},
    )
    def post(self, request: Request) -> Response:
        """Ask for the committee's portfolio report; it is generated in the background. Follow
        it at `/reports/{id}/`; download it from `download` once `state` is `ready`."""
        if not services.may_request_portfolio(request.user):
            raise PermissionDenied()
        body = PortfolioRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        language = report_language(body.validated_data.get("language"))
        report = services.report_request(
            user=request.user, kind=ReportKind.PORTFOLIO, language=language
        )
        report.refresh_from_db()
        return Response(ReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)


class ReportDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="reports_retrieve", tags=["reports"], responses=ReportSerializer)
    def get(self, request: Request, uuid: Any) -> Response:
        """A report the caller asked for: its state and progress."""
        return Response(ReportSerializer(report_get_for_user(request.user, uuid=uuid)).data)


class ReportDownloadView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="reports_download",
        tags=["reports"],
        responses={(200, "application/pdf"): PDF},
    )
    def get(self, request: Request, uuid: Any) -> HttpResponse:
        """The PDF of a ready report (404 while it is being generated or once removed)."""
        report = report_get_for_user(request.user, uuid=uuid)
        if report.state != ReportState.READY or not report.file:
            raise NotFound("The report is not ready.")
        with report.file.open("rb") as pdf:
            content = pdf.read()
        return pdf_response(content, f"{report.kind}-{report.created_at.date().isoformat()}.pdf")
