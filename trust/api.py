"""The trust self-assessment in the API: a case's rounds with their averages (and the caller's
own organisations' answers, nobody else's), answering for one's organisation, and the
committee's averages across cases."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors
from config.api.fields import StrictCharField
from config.api.idempotency import idempotent

from . import selectors, services
from .choices import Principle
from .models import COMMENT_MAX_LENGTH, TrustRound

MAX_ID = 2**63 - 1


class AverageSerializer(serializers.Serializer):
    principle = serializers.ChoiceField(choices=Principle.choices)
    average = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)


class AnswerSerializer(serializers.Serializer):
    principle = serializers.ChoiceField(choices=Principle.choices)
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = StrictCharField(max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True)


class OwnAnswersSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    answered_at = serializers.DateTimeField(allow_null=True)
    answers = serializers.SerializerMethodField()

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, own: selectors.OwnAnswers) -> list[dict[str, Any]]:
        return AnswerSerializer(
            [
                {"principle": p, "score": s, "comment": own.comments.get(p, "")}
                for p, s in own.scores.items()
            ],
            many=True,
        ).data


class RoundSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)
    answered_count = serializers.SerializerMethodField()
    averages = serializers.SerializerMethodField()
    own_answers = serializers.SerializerMethodField()

    class Meta:
        model = TrustRound
        fields = [
            "number",
            "opened_at",
            "deadline",
            "closed_at",
            "is_open",
            "asked_count",
            "answered_count",
            "averages",
            "own_answers",
        ]
        read_only_fields = fields

    def get_answered_count(self, trust_round: TrustRound) -> int | None:
        """How many organisations answered; null while the round is open."""
        return None if trust_round.is_open else trust_round.answered_count

    @extend_schema_field(AverageSerializer(many=True))
    def get_averages(self, trust_round: TrustRound) -> list[dict[str, Any]]:
        """Averages over the organisations that answered; empty while the round is open or when
        too few answered to hide each one's scores."""
        averages = selectors.round_averages(trust_round) if not trust_round.is_open else {}
        return [{"principle": p, "average": a} for p, a in averages.items()]

    @extend_schema_field(OwnAnswersSerializer(many=True))
    def get_own_answers(self, trust_round: TrustRound) -> list[dict[str, Any]]:
        own = self.context.get("own", {}).get(trust_round.pk, [])
        return OwnAnswersSerializer(own, many=True).data


class AnswersRequestSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="The organisation you answer for; needed only when several of yours are asked.",
    )
    answers = AnswerSerializer(many=True, allow_empty=False, max_length=len(Principle))

    def validate_answers(self, answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        named = [answer["principle"] for answer in answers]
        if sorted(named) != sorted(Principle.values):
            raise ValidationError(_("Give exactly one score for each of the eight principles."))
        return answers


def _own_by_round(user: Any, rounds: list[TrustRound]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for own in selectors.own_answers(user, rounds):
        grouped[own.trust_round.pk].append(own)
    return grouped


class CaseRoundsView(generics.ListAPIView):
    """A case's self-assessment rounds, newest first (the open one first): averages per
    principle over organisations once closed, and the answers of your own organisations."""

    serializer_class = RoundSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[TrustRound]:
        if getattr(self, "swagger_fake_view", False):
            return TrustRound.objects.none()
        reference = self.kwargs["reference"]
        case = case_selectors.case_get_for_user(self.request.user, reference=reference)
        return (
            TrustRound.objects.filter(case=case)
            .select_related("case")
            .prefetch_related("results")
            .order_by("-number")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rounds = list(page or [])
        context = {**self.get_serializer_context(), "own": _own_by_round(request.user, rounds)}
        return self.get_paginated_response(RoundSerializer(rounds, many=True, context=context).data)


class CaseAnswersView(APIView):
    idempotent_posts = True

    @extend_schema(
        operation_id="cases_trust_answers_create",
        tags=["trust"],
        request=AnswersRequestSerializer,
        responses={200: RoundSerializer},
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        """Answer the case's open round for your organisation: a score from 1 to 5 for each
        principle, comments optional. Until the deadline a new answer replaces the last."""
        case = case_selectors.case_get_for_user(request.user, reference=reference)
        body = AnswersRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        open_round = selectors.open_round_of_case(case)
        if open_round is None:
            raise ValidationError({"non_field_errors": [_("The case has no open round.")]})
        organisation_id = body.validated_data.get("organisation") or _only_asked(
            request.user, open_round
        )
        answers = body.validated_data["answers"]
        services.trust_answers_submit(
            actor=request.user,
            trust_round=open_round,
            organisation_id=organisation_id,
            scores={a["principle"]: a["score"] for a in answers},
            comments={a["principle"]: a.get("comment", "") for a in answers},
            now=timezone.now(),
        )
        context = {"own": _own_by_round(request.user, [open_round])}
        return Response(RoundSerializer(open_round, context=context).data)


def _only_asked(user: Any, open_round: TrustRound) -> int:
    asked = services.asked_organisation_ids(user, open_round)
    if len(asked) != 1:
        raise ValidationError(
            {"organisation": [_("Say which of your organisations you answer for.")]}
        )
    return asked.pop()


class LatestRoundSerializer(serializers.Serializer):
    case = serializers.CharField(source="case.reference")
    title = serializers.CharField(source="case.title")
    number = serializers.IntegerField()
    closed_at = serializers.DateTimeField()
    asked_count = serializers.IntegerField()
    answered_count = serializers.IntegerField()
    averages = serializers.SerializerMethodField()

    @extend_schema_field(AverageSerializer(many=True))
    def get_averages(self, trust_round: TrustRound) -> list[dict[str, Any]]:
        averages = selectors.round_averages(trust_round)
        return [{"principle": p, "average": a} for p, a in averages.items()]


class LatestRoundsView(generics.ListAPIView):
    """The committee's overview: every case's latest closed round, most recently closed first.
    Others get 404."""

    serializer_class = LatestRoundSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[TrustRound]:
        if getattr(self, "swagger_fake_view", False):
            return TrustRound.objects.none()
        return selectors.latest_rounds_for_user(self.request.user)


class OverallView(APIView):
    @extend_schema(
        operation_id="trust_overall_retrieve",
        tags=["trust"],
        responses={200: AverageSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        """Per principle, the average over every case's latest closed round (the committee's)."""
        overall = selectors.overall_averages_for_user(request.user)
        rows = [{"principle": p, "average": a} for p, a in overall.items()]
        return Response(AverageSerializer(rows, many=True).data)
