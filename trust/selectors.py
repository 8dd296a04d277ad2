"""Reads of the trust self-assessment, by who asks. Averages are over organisations and exist
only for closed rounds with enough answers; individual answers are read only by the
organisation that gave them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Prefetch, QuerySet
from django.http import Http404

from agencies.selectors import user_organisation_ids
from cases import access
from cases.models import Case

from .choices import Principle
from .models import TrustAnswer, TrustResponse, TrustResult, TrustRound


def closed_rounds_of_case(case: Case) -> QuerySet[TrustRound]:
    """The case's closed rounds with their averages, newest first (the caller checked access)."""
    return (
        TrustRound.objects.filter(case=case, closed_at__isnull=False)
        .prefetch_related(Prefetch("results", queryset=TrustResult.objects.order_by("principle")))
        .order_by("-number")
    )


def open_round_of_case(case: Case) -> TrustRound | None:
    return TrustRound.objects.filter(case=case, closed_at=None).first()


def round_averages(trust_round: TrustRound) -> dict[str, Decimal]:
    """Principle -> average, from prefetched results; empty when too few answered."""
    return {result.principle: result.average for result in trust_round.results.all()}


@dataclass
class OwnAnswers:
    """One of the reader's organisations' answers in one round."""

    organisation: Any
    trust_round: TrustRound
    answered_at: Any
    scores: dict[str, int] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def own_answers(user: Any, rounds: list[TrustRound]) -> list[OwnAnswers]:
    """The answers the reader's own organisations gave in these rounds (none for others)."""
    mine = user_organisation_ids(user)
    if not mine or not rounds:
        return []
    responses = (
        TrustResponse.objects.filter(round__in=rounds, organisation_id__in=mine)
        .select_related("organisation", "round")
        .prefetch_related(Prefetch("answers", queryset=TrustAnswer.objects.order_by("pk")))
        .order_by("-round__number", "organisation__name")
    )
    result = []
    for response in responses:
        answers = list(response.answers.all())
        result.append(
            OwnAnswers(
                organisation=response.organisation,
                trust_round=response.round,
                answered_at=response.answered_at,
                scores={answer.principle: answer.score for answer in answers},
                comments={answer.principle: answer.comment for answer in answers},
            )
        )
    return result


def unanswered_for_user(user: Any, case: Case) -> bool:
    """Whether one of the reader's organisations is asked in the case's open round and has not
    answered yet (one query; none for a reader without organisations)."""
    mine = user_organisation_ids(user)
    if not mine:
        return False
    return TrustResponse.objects.filter(
        round__case=case, round__closed_at=None, organisation_id__in=mine, answered_at=None
    ).exists()


def latest_rounds_for_user(user: Any) -> QuerySet[TrustRound]:
    """Every case's newest closed round, most recently closed first: the committee's only."""
    if not access.is_committee(user):
        raise Http404
    return (
        TrustRound.objects.filter(latest=True)
        .select_related("case")
        .prefetch_related(Prefetch("results", queryset=TrustResult.objects.order_by("principle")))
        .order_by("-closed_at", "-id")
    )


def overall_averages_for_user(user: Any) -> dict[str, Decimal]:
    """Per principle, the average of every case's latest shown averages (the committee's)."""
    if not access.is_committee(user):
        raise Http404
    rows = (
        TrustResult.objects.filter(round__latest=True)
        .values("principle")
        .annotate(average=Avg("average"))
        .order_by("principle")
    )
    step = Decimal("0.01")
    return {
        row["principle"]: Decimal(str(row["average"])).quantize(step)
        for row in rows
        if row["principle"] in Principle.values
    }
