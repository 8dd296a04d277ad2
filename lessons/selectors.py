"""Reads of lessons learned, by who asks: a lesson is seen with its case's access rules (the
public reads lessons of public cases only); the library's search and filters; the evidence of
each lesson, its case's outcomes with their approved values, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cases import access
from cases import selectors as case_selectors
from cases.choices import ReviewState
from cases.models import Case, Measurement, Outcome
from cases.views.case_sections import first_ids_per_group

from . import search
from .models import Lesson, LessonRequest

SIMILAR = 3  # lessons from other cases of the theme on a case's page
EVIDENCE_OUTCOMES = 3  # a case's outcomes shown as a lesson's evidence
TREND_POINTS = 12  # an outcome's newest approved values drawn as its trend
NEWEST = ("-created_at", "-id")


def lessons_for_user(user: Any) -> QuerySet[Lesson]:
    """Lessons of the cases the user sees, newest first; a restricted case's lessons do not
    exist for anyone who may not see the case."""
    visible = access.visible_cases(user).values("pk")
    return (
        Lesson.objects.filter(case__in=visible)
        .select_related("case", "theme", "organisation", "recorded_by")
        .defer("search_vector")
        .order_by(*NEWEST)
    )


def lesson_get_for_user(user: Any, *, pk: int) -> Lesson:
    try:
        return lessons_for_user(user).get(pk=pk)
    except Lesson.DoesNotExist:
        raise Http404 from None


def lesson_library(
    user: Any, *, q: str = "", theme: str = "", sector_mix: str = "", case: str = ""
) -> QuerySet[Lesson]:
    """The library: by words (Swedish full text on PostgreSQL), theme (slug), sector mix and
    case (reference)."""
    rows = lessons_for_user(user)
    if case:
        rows = rows.filter(case__reference=case)
    if theme:
        rows = rows.filter(theme__slug=theme)
    if sector_mix:
        rows = rows.filter(sector_mix=sector_mix)
    return search.search(rows, q)


def sector_mixes() -> list[str]:
    """The sector mixes lessons were recorded with (at most the 31 combinations of the five
    kinds), read from the index on sector_mix."""
    return list(
        Lesson.objects.exclude(sector_mix="")
        .order_by("sector_mix")
        .values_list("sector_mix", flat=True)
        .distinct()
    )


def lessons_of_case(case: Case, *, limit: int | None = None) -> list[Lesson]:
    """The case's lessons, newest first (the caller checked the case's access)."""
    rows = (
        Lesson.objects.filter(case=case)
        .select_related("organisation", "recorded_by")
        .defer("search_vector")
        .order_by(*NEWEST)
    )
    return list(rows[:limit] if limit else rows)


def similar_lessons(user: Any, case: Case) -> list[Lesson]:
    """The newest lessons of other cases with the same theme that the user may see."""
    rows = lessons_for_user(user).filter(theme_id=case.theme_id).exclude(case_id=case.pk)
    return list(rows[:SIMILAR])


def pending_request(case: Case) -> LessonRequest | None:
    return LessonRequest.objects.filter(case=case, fulfilled_at__isnull=True).first()


@dataclass
class Evidence:
    """An outcome of a lesson's case and what its approved values say."""

    outcome: Outcome
    latest_value: Decimal | None
    latest_date: Any
    progress: Decimal | None
    target_reached: bool
    trend: list[Measurement] = field(default_factory=list)


def _outcomes_by_case(case_ids: list[int]) -> dict[int, list[Outcome]]:
    current = Outcome.objects.filter(archived_at__isnull=True)
    ids = first_ids_per_group(current, "case_id", case_ids, ["id"], EVIDENCE_OUTCOMES)
    grouped: dict[int, list[Outcome]] = {case_id: [] for case_id in case_ids}
    for outcome in Outcome.objects.filter(pk__in=ids).order_by("case_id", "id"):
        grouped[outcome.case_id].append(outcome)
    return grouped


def _approved_by_outcome(outcomes: list[Outcome]) -> dict[int, list[Measurement]]:
    approved = Measurement.objects.filter(review_state=ReviewState.APPROVED)
    keys = [outcome.pk for outcome in outcomes]
    ids = first_ids_per_group(approved, "outcome_id", keys, ["-measured_on", "-id"], TREND_POINTS)
    values: dict[int, list[Measurement]] = {key: [] for key in keys}
    if not keys:
        return values
    for row in Measurement.objects.filter(pk__in=ids).order_by("measured_on", "id"):
        values[row.outcome_id].append(row)  # oldest first, as a trend reads
    return values


def evidence_for(lessons: list[Lesson]) -> None:
    """Set `lesson.evidence` on each: its case's first outcomes with their approved values
    (latest against baseline and target, and the newest few as a trend). Two queries at most,
    however many lessons, cases and values there are."""
    case_ids = sorted({lesson.case_id for lesson in lessons})
    if not case_ids:
        return
    outcomes = _outcomes_by_case(case_ids)
    series = _approved_by_outcome([o for rows in outcomes.values() for o in rows])
    evidence: dict[int, list[Evidence]] = {}
    for case_id, rows in outcomes.items():
        evidence[case_id] = []
        for outcome in rows:
            trend = series[outcome.pk]
            for measurement in trend:
                measurement.outcome = outcome
            figures = case_selectors.progress_from(outcome, trend[-1] if trend else None)
            evidence[case_id].append(
                Evidence(
                    outcome=outcome,
                    latest_value=figures["latest_value"],
                    latest_date=figures["latest_date"],
                    progress=figures["progress"],
                    target_reached=figures["target_reached"],
                    trend=trend,
                )
            )
    for lesson in lessons:
        lesson.evidence = evidence[lesson.case_id]  # type: ignore[attr-defined]
