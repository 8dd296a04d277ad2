"""The effect follow-ups in the API: a case's follow-up points, and reporting a point's value
(a measurement like any other, reviewed through /measurements/{id}/approve/ and /return/)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Organisation
from cases import selectors as case_selectors
from cases.api.serializers import MeasurementSerializer
from cases.models import Case
from config.api.fields import StrictCharField
from config.api.idempotency import idempotent

from . import selectors, services
from .choices import FollowUpStatus, Verdict
from .models import FollowUp


class FollowUpSerializer(serializers.ModelSerializer):
    outcome_title = serializers.CharField(source="outcome.title", read_only=True)
    overdue_after = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=FollowUpStatus.choices, read_only=True)
    value_at_closing = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    value = serializers.SerializerMethodField()
    review_state = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "outcome",
            "outcome_title",
            "months",
            "closed_on",
            "due_on",
            "overdue_after",
            "status",
            "measurement",
            "value",
            "review_state",
            "value_at_closing",
            "verdict",
        ]
        read_only_fields = fields

    def get_value(self, followup: FollowUp) -> str | None:
        """The reported value (counts once `review_state` is approved)."""
        return str(followup.measurement.value) if followup.measurement else None

    def get_review_state(self, followup: FollowUp) -> str | None:
        return followup.measurement.review_state if followup.measurement else None

    @extend_schema_field(serializers.ChoiceField(choices=Verdict.choices))
    def get_verdict(self, followup: FollowUp) -> str:
        """Did the effect hold at this point, by its approved value."""
        measurement = followup.measurement
        if measurement is None or not measurement.counts:
            return Verdict.UNKNOWN
        return selectors.verdict_of(followup.outcome, measurement.value)


class FollowUpReportSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    measured_on = serializers.DateField()
    note = StrictCharField(max_length=500, required=False, allow_blank=True)


class CaseFollowUpList(generics.ListAPIView):
    """The follow-up points of a case you may see (404 otherwise), by due date: each outcome's
    value asked for 6, 12 and 24 months after the case closed."""

    serializer_class = FollowUpSerializer
    queryset = FollowUp.objects.none()  # for the schema; requests read get_queryset()
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[FollowUp]:
        if getattr(self, "swagger_fake_view", False):
            return FollowUp.objects.none()
        case = case_selectors.case_get_for_user(
            self.request.user, reference=self.kwargs["reference"]
        )
        return selectors.followup_list_for_user(self.request.user, case)


class FollowUpReport(generics.GenericAPIView):
    serializer_class = FollowUpReportSerializer
    queryset = FollowUp.objects.none()
    idempotent_posts = True

    @extend_schema(request=FollowUpReportSerializer, responses={201: MeasurementSerializer})
    @idempotent
    def post(self, request: Request, reference: str, pk: int) -> Response:
        """Report the value of a due follow-up point (the case's lead organisation, or its
        managers); it waits for the usual review. 409 before the point is due or once answered."""
        case: Case = case_selectors.case_get_for_user(request.user, reference=reference)
        followup = selectors.followup_get_for_case(case, pk=int(pk))
        body = FollowUpReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measurement = services.followup_report(
            actor=request.user, followup=followup, **body.validated_data
        )
        return Response(MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED)
