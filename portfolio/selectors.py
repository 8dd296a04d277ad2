"""The portfolio's figures, computed by the database for any queryset of cases.

`portfolio_rows(cases)` is the one function that gives a case its figures (the web page, the
API and the PDF report read it); the flags are decided in `portfolio.flags`. Each figure is a
correlated subquery served by an index on the case's actions, outcomes, values or events, so
a page costs the same few queries for 3 cases or 3,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf, TruncDate
from django.utils import timezone

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from cases.access import AnyUser, is_committee
from cases.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    CaseStatus,
    ParticipationRole,
    ParticipationState,
    ReviewState,
    Visibility,
)
from cases.models import Action, Case, Measurement, Outcome, Participation
from notifications.models import Event

from . import geo
from .expressions import DaysBetween
from .flags import with_flags


def portfolio_cases(user: AnyUser, *, public: bool) -> QuerySet[Case]:
    """The cases a portfolio covers: all of them for the committee; only public ones in the
    public version. Anyone else asking for the full portfolio is refused."""
    if public:
        return Case.objects.filter(visibility=Visibility.PUBLIC)
    if not is_committee(user):
        raise PermissionDenied
    return Case.objects.all()


def _count(queryset: QuerySet, group: str = "case") -> Coalesce:
    """The number of rows of `queryset` (already tied to the outer case), 0 for none."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _days(end: Any, start: Any) -> Cast:
    return Cast(DaysBetween(end, start), FloatField())


def outcome_standing() -> QuerySet[Outcome]:
    """A case's current outcomes (tied to the outer case) with `progress` (baseline 0, target 1)
    of the latest approved value and `expected`, the share of the way the time gone asks for:
    on track when progress ≥ expected (the rule of the case page, cases/views/case_sections)."""
    approved = Measurement.objects.filter(
        outcome=OuterRef("pk"), review_state=ReviewState.APPROVED
    ).order_by("-measured_on", "-id")
    span = DaysBetween(F("target_date"), F("baseline_date"))
    gone = Greatest(DaysBetween(Least(F("latest_date"), F("target_date")), F("baseline_date")), 0)
    return (
        Outcome.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
        .annotate(
            latest_value=Subquery(approved.values("value")[:1]),
            latest_date=Subquery(approved.values("measured_on")[:1]),
        )
        .annotate(
            progress=Cast(F("latest_value") - F("baseline_value"), FloatField())
            / Cast(NullIf(F("target_value") - F("baseline_value"), 0), FloatField()),
            expected=models.Case(
                When(Q(target_date__lte=F("baseline_date")), then=Value(1.0)),
                default=Cast(gone, FloatField()) / Cast(span, FloatField()),
                output_field=FloatField(),
            ),
        )
        .filter(progress__isnull=False)
    )


def _lead() -> QuerySet[Participation]:
    return Participation.objects.filter(
        case=OuterRef("pk"), role=ParticipationRole.LEAD, state=ParticipationState.ACTIVE
    ).order_by("id")


def portfolio_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with its figures and flags:

    lead_id / lead_name / lead_kind: the active lead organisation (the first, if several);
    overdue_count, blocked_count, open_count: its actions; overdue_share: overdue of open;
    outcomes_measured, outcomes_on_track, on_track_share: approved outcome progress;
    last_activity_at, days_since_activity: the newest event of the case (else its last change);
    flag_<key> and needs_committee: see portfolio.flags.
    """
    today = timezone.localdate()
    actions = Action.objects.filter(case=OuterRef("pk"))
    open_actions = actions.filter(status__in=OPEN_ACTION_STATUSES)
    newest_event = Event.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-id")
    rows = (
        cases.select_related("theme", "coordinator")
        .prefetch_related(
            Prefetch(
                "scope_areas",
                queryset=Organisation.objects.only("id", "kind", "region_code").order_by(),
            )
        )
        .annotate(
            lead_id=Subquery(_lead().values("organisation_id")[:1]),
            lead_name=Subquery(_lead().values("organisation__name")[:1]),
            lead_kind=Subquery(_lead().values("organisation__kind")[:1]),
            overdue_count=_count(open_actions.filter(due_date__lt=today)),
            blocked_count=_count(actions.filter(status=ActionStatus.BLOCKED)),
            open_count=_count(open_actions),
            outcomes_measured=_count(outcome_standing()),
            outcomes_on_track=_count(outcome_standing().filter(progress__gte=F("expected"))),
            last_activity_at=Coalesce(
                Subquery(newest_event.values("created_at")[:1]), F("updated_at")
            ),
        )
        .annotate(
            overdue_share=Cast(F("overdue_count"), FloatField())
            / NullIf(Cast(F("open_count"), FloatField()), 0.0),
            on_track_share=Cast(F("outcomes_on_track"), FloatField())
            / NullIf(Cast(F("outcomes_measured"), FloatField()), 0.0),
            # Days as counted in Sweden: the event's date in the current time zone.
            days_since_activity=DaysBetween(Value(today), TruncDate("last_activity_at")),
        )
    )
    return with_flags(rows)


def case_regions(case: Case) -> list[geo.Area]:
    """The län a case concerns, from its scope (prefetched by portfolio_rows), in code order."""
    codes = {area.region_code for area in case.scope_areas.all() if area.region_code}
    return [area for area in geo.counties() if area.code in codes]


# Sort keys of the portfolio (web `sort`, API `ordering`); "-key" sorts the other way.
ORDERINGS: dict[str, list[str]] = {
    "reference": ["reference"],
    "title": ["title"],
    "status": ["status"],
    "theme": ["theme__name"],
    "lead": ["lead_name"],
    "coordinator": ["coordinator__last_name", "coordinator__first_name"],
    "overdue": ["overdue_count"],
    "blocked": ["blocked_count"],
    "progress": ["on_track_share"],
    "activity": ["days_since_activity"],
    "created": ["created_at"],
}
DEFAULT_ORDERING = "-created"


def portfolio_order(rows: QuerySet[Case], key: str | None) -> QuerySet[Case]:
    """Ordered by one of ORDERINGS (empty figures last either way), then by id."""
    key = key or DEFAULT_ORDERING
    descending = key.startswith("-")
    fields = ORDERINGS.get(key.lstrip("-"), ORDERINGS["created"])
    if descending:
        order = [F(name).desc(nulls_last=True) for name in fields] + [F("id").desc()]
    else:
        order = [F(name).asc(nulls_last=True) for name in fields] + [F("id").asc()]
    return rows.order_by(*order)


def portfolio_filter(rows: QuerySet[Case], filters: dict[str, Any]) -> QuerySet[Case]:
    """Narrow the rows by status, theme (slug), län, lead sector or organisation, coordinator,
    a flag ("needs_committee" or a flag key) and whether anything is overdue or blocked."""
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("theme"):
        rows = rows.filter(theme__slug=filters["theme"])
    if filters.get("region"):
        scoped = Case.scope_areas.through.objects.filter(
            case_id=OuterRef("pk"), organisation__region_code=filters["region"]
        )
        rows = rows.filter(Exists(scoped))
    if filters.get("lead_kind"):
        rows = rows.filter(lead_kind=filters["lead_kind"])
    if filters.get("lead"):
        rows = rows.filter(lead_id=filters["lead"])
    if filters.get("coordinator"):
        rows = rows.filter(coordinator_id=filters["coordinator"])
    if filters.get("flag"):
        flag = filters["flag"]
        rows = rows.filter(**{flag if flag == "needs_committee" else f"flag_{flag}": True})
    if filters.get("overdue"):
        rows = rows.filter(overdue_count__gt=0)
    if filters.get("blocked"):
        rows = rows.filter(blocked_count__gt=0)
    return rows


@dataclass(frozen=True)
class AreaCount:
    area: geo.Area
    count: int
    shade: int


def _active(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(status=CaseStatus.ACTIVE)


def _scope_counts(cases: QuerySet[Case], key: str, **where: Any) -> dict[str, int]:
    """Active cases per scope area code (`key`), each case once per code, in one query."""
    rows = (
        Case.scope_areas.through.objects.filter(case__in=_active(cases).values("pk"), **where)
        .values(key)
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {row[key]: row["n"] for row in rows}


def county_counts(cases: QuerySet[Case]) -> list[AreaCount]:
    """The number of active cases in each of the 21 län (a case scoped to several
    municipalities of one län counts once there)."""
    counts = _scope_counts(cases, "organisation__region_code")
    most = max(counts.values(), default=0)
    return [
        AreaCount(area, counts.get(area.code, 0), geo.shade(counts.get(area.code, 0), most))
        for area in geo.counties()
    ]


def national_count(cases: QuerySet[Case]) -> int:
    """Active cases that concern the whole country (they belong to no län on the map)."""
    return _active(cases).filter(is_national=True).count()


def municipality_counts(cases: QuerySet[Case], county_code: str) -> list[AreaCount]:
    """The number of active cases naming each municipality of the län in their scope."""
    counts = _scope_counts(
        cases,
        "organisation__municipality_code",
        organisation__kind=OrganisationKind.MUNICIPALITY,
        organisation__region_code=county_code,
    )
    most = max(counts.values(), default=0)
    return [
        AreaCount(area, counts.get(area.code, 0), geo.shade(counts.get(area.code, 0), most))
        for area in geo.municipalities_of(county_code)
    ]


def county_wide_count(cases: QuerySet[Case], county_code: str) -> int:
    """Active cases scoped to the län's region as a whole."""
    counts = _scope_counts(
        cases,
        "organisation__region_code",
        organisation__kind=OrganisationKind.REGION,
        organisation__region_code=county_code,
    )
    return counts.get(county_code, 0)
