"""The collaboration picture: which sectors and organisations work together across cases.

Two organisations work together in a case when both take part in it actively (any role), and in
an action when both lead it or contribute to it (cancelled actions left out). A sector is an
organisation's kind: state agency, municipality, region, civil society. Everything is counted by
the database, in a fixed number of queries for any number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from cases.choices import ActionStatus, ParticipationState
from cases.models import Action, Case, Participation

SECTORS = [
    OrganisationKind.STATE_AGENCY,
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.REGION,
    OrganisationKind.CIVIL_SOCIETY,
]


@dataclass(frozen=True)
class SectorPair:
    first: str
    second: str
    cases: int
    actions: int

    @property
    def labels(self) -> tuple[str | Promise, str | Promise]:
        return OrganisationKind(self.first).label, OrganisationKind(self.second).label


@dataclass(frozen=True)
class KeyFigures:
    actions: int
    actions_shared: int  # with two or more organisations
    cases: int
    cases_three_sectors: int  # with active participants from three or more sectors

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def actions_shared_share(self) -> float | None:
        return self._share(self.actions_shared, self.actions)

    @property
    def cases_three_sectors_share(self) -> float | None:
        return self._share(self.cases_three_sectors, self.cases)


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _rows(queryset: QuerySet, item: str, organisation: str) -> QuerySet:
    return queryset.values(
        item=F(item), org=F(organisation), k=F(f"{organisation.removesuffix('_id')}__kind")
    ).order_by()


def _participants(cases: QuerySet[Case]) -> tuple[str, tuple]:
    """(item = case, org, k = kind) of the active participants from the four sectors."""
    participants = Participation.objects.filter(
        case__in=cases.values("pk"),
        state=ParticipationState.ACTIVE,
        organisation__kind__in=SECTORS,
    )
    return _sql(_rows(participants, "case_id", "organisation_id"))


def _action_organisations(cases: QuerySet[Case]) -> tuple[str, tuple]:
    """(item = action, org, k = kind): every lead and contributor of the cases' actions."""
    actions = Action.objects.filter(case__in=cases.values("pk")).exclude(
        status=ActionStatus.CANCELLED
    )
    leads_sql, leads_params = _sql(_rows(actions, "id", "lead_organisation_id"))
    contributors = Action.contributors.through.objects.filter(action__in=actions.values("pk"))
    others_sql, others_params = _sql(_rows(contributors, "action_id", "organisation_id"))
    return f"{leads_sql} UNION {others_sql}", leads_params + others_params


# Each pair of sectors once (first ≤ second), counted over pairs of different organisations.
PAIR_COUNT = """
SELECT CASE WHEN a.k <= b.k THEN a.k ELSE b.k END AS first,
       CASE WHEN a.k <= b.k THEN b.k ELSE a.k END AS second,
       COUNT(DISTINCT a.item)
FROM ({rows}) AS a
JOIN ({rows}) AS b ON a.item = b.item AND a.org < b.org
WHERE a.k IN ({sectors}) AND b.k IN ({sectors})
GROUP BY 1, 2
"""


def _pair_counts(rows: tuple[str, tuple]) -> dict[tuple[str, str], int]:
    sql, params = rows
    placeholders = ", ".join(["%s"] * len(SECTORS))
    query = PAIR_COUNT.format(rows=sql, sectors=placeholders)
    arguments = params + params + tuple(SECTORS) + tuple(SECTORS)
    with connection.cursor() as cursor:
        cursor.execute(query, arguments)
        return {(first, second): count for first, second, count in cursor.fetchall()}


def sector_matrix(cases: QuerySet[Case]) -> list[SectorPair]:
    """Every pair of sectors (the same sector twice included) with the number of cases and of
    actions in which organisations of both work together; two queries."""
    in_cases = _pair_counts(_participants(cases))
    in_actions = _pair_counts(_action_organisations(cases))
    order = {sector: index for index, sector in enumerate(SECTORS)}
    pairs = []
    for first, second in combinations_with_replacement(SECTORS, 2):
        key = (min(first, second), max(first, second))
        pairs.append(SectorPair(first, second, in_cases.get(key, 0), in_actions.get(key, 0)))
    return sorted(pairs, key=lambda pair: (order[pair.first], order[pair.second]))


def matrix_grid(pairs: list[SectorPair]) -> list[tuple[str | Promise, list[SectorPair]]]:
    """The pairs as a symmetric table: a row per sector (its label), a cell per sector."""
    by_key = {(pair.first, pair.second): pair for pair in pairs}
    by_key.update({(pair.second, pair.first): pair for pair in pairs})
    return [
        (OrganisationKind(row).label, [by_key[(row, column)] for column in SECTORS])
        for row in SECTORS
    ]


def sector_labels() -> list[str | Promise]:
    return [OrganisationKind(sector).label for sector in SECTORS]


KEY_FIGURES = """
SELECT (SELECT COUNT(*) FROM (SELECT item FROM ({actions}) AS x GROUP BY item) AS n),
       (SELECT COUNT(*) FROM (SELECT item FROM ({actions}) AS x
                              GROUP BY item HAVING COUNT(DISTINCT org) >= 2) AS n),
       (SELECT COUNT(*) FROM (SELECT item FROM ({participants}) AS x
                              GROUP BY item HAVING COUNT(DISTINCT k) >= 3) AS n)
"""


def key_figures(cases: QuerySet[Case]) -> KeyFigures:
    """Shares of actions with two or more organisations and of cases with three or more
    sectors; two queries."""
    actions_sql, actions_params = _action_organisations(cases)
    participants_sql, participants_params = _participants(cases)
    query = KEY_FIGURES.format(actions=actions_sql, participants=participants_sql)
    with connection.cursor() as cursor:
        cursor.execute(query, actions_params + actions_params + participants_params)
        actions, shared, three_sectors = cursor.fetchone()
    return KeyFigures(
        actions=actions,
        actions_shared=shared,
        cases=cases.count(),
        cases_three_sectors=three_sectors,
    )


def _involves(organisation: Any, nested: Any) -> Q:
    """An action led by the organisation or with it among the contributors (`nested` is the
    same organisation as seen from inside the contributors' subquery)."""
    contributes = Action.contributors.through.objects.filter(
        action_id=OuterRef("pk"), organisation_id=nested
    )
    return Q(lead_organisation_id=organisation) | Q(Exists(contributes))


def partners(cases: QuerySet[Case], organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations working with `organisation` in the cases, with `shared_cases` and
    `shared_actions`, most shared cases first (a queryset, so it is paged by the database)."""
    its_cases = Participation.objects.filter(
        organisation=organisation, state=ParticipationState.ACTIVE, case__in=cases.values("pk")
    ).values("case_id")
    shared = (
        Action.objects.filter(case__in=its_cases)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(_involves(organisation.pk, organisation.pk))
        .filter(_involves(OuterRef("pk"), OuterRef(OuterRef("pk"))))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(
            participations__state=ParticipationState.ACTIVE,
            participations__case_id__in=its_cases,
        )
        .annotate(
            shared_cases=Count("participations__case_id", distinct=True),
            shared_actions=Coalesce(Subquery(shared, output_field=IntegerField()), 0),
        )
        .order_by("-shared_cases", "-shared_actions", "name", "id")
    )
