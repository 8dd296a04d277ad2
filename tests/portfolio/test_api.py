"""The portfolio's API: the figures as the pages show them, and the same queries for any size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from cases.choices import ActionStatus, CaseStatus, ParticipationRole, ParticipationState
from cases.models import Action, Case, Participation
from portfolio import selectors
from portfolio.collaboration import key_figures, sector_matrix

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_committee_reads_each_cases_figures_and_flags(demo) -> None:
    body = _client(demo.anna).get("/api/v1/portfolio/cases/", {"ordering": "reference"}).json()
    rows = {row["reference"]: row for row in body["results"]}
    school = rows[demo.school.reference]
    assert school["lead_organisation"]["name"] == "Region Stockholm"
    assert school["regions"] == ["01"]
    assert (school["overdue_actions"], school["blocked_actions"], school["open_actions"]) == (
        1,
        1,
        3,
    )
    assert (school["outcomes_measured"], school["outcomes_on_track"]) == (1, 0)
    assert school["flags"] == ["off_track", "overdue"] and school["needs_committee"]
    assert school["coordinator"]["name"] == "Carl Claesson"
    assert body["count"] == 7  # the story's 4, the follow-ups' closed case, the lessons' 2


def test_the_public_version_has_public_cases_without_flags_or_people(demo) -> None:
    body = _client().get("/api/v1/portfolio/public/cases/").json()
    assert [row["reference"] for row in body["results"]] == [demo.public.reference]
    assert "coordinator" not in body["results"][0] and "flags" not in body["results"][0]
    assert _client().get("/api/v1/portfolio/public/cases/", {"flag": "overdue"}).status_code == 200


def test_bad_filters_are_a_400_naming_the_parameter(demo) -> None:
    response = _client(demo.anna).get(
        "/api/v1/portfolio/cases/", {"region": "99", "lead": "0", "ordering": "x"}
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"region", "lead", "ordering"}


def test_map_and_collaboration_figures_in_the_api(demo) -> None:
    client = _client(demo.anna)
    counties = client.get("/api/v1/portfolio/counties/").json()
    assert len(counties["counties"]) == 21
    assert {c["code"]: c["active_cases"] for c in counties["counties"] if c["active_cases"]} == {
        "01": 2,
        "09": 1,
        "12": 1,
    }
    skane = client.get("/api/v1/portfolio/counties/12/municipalities/").json()
    assert len(skane["municipalities"]) == 33 and skane["county_wide"] == 1
    collaboration = client.get("/api/v1/portfolio/collaboration/").json()
    assert collaboration["key_figures"]["actions_with_two_or_more_organisations"] == 3
    assert len(collaboration["pairs"]) == 10


def _many_cases(demo, number: int) -> None:
    """`number` more active cases with a lead, a partner, actions and an overdue one (written
    in bulk: the figures are what is measured here, not the services)."""
    today = timezone.localdate()
    police, kiruna = demo.orgs.police, demo.orgs.kiruna
    cases = Case.objects.bulk_create(
        Case(
            reference=f"T-{index:05d}",
            title=f"Ärende {index}",
            summary="S",
            theme=demo.youth.theme,
            status=CaseStatus.ACTIVE,
            coordinator=demo.carl,
            created_by=demo.anna,
        )
        for index in range(number)
    )
    Case.scope_areas.through.objects.bulk_create(
        Case.scope_areas.through(case=case, organisation=kiruna) for case in cases
    )
    Participation.objects.bulk_create(
        Participation(
            case=case,
            organisation=org,
            role=role,
            state=ParticipationState.ACTIVE,
            invited_by=demo.anna,
        )
        for case in cases
        for org, role in [(kiruna, ParticipationRole.LEAD), (police, ParticipationRole.PARTNER)]
    )
    actions = Action.objects.bulk_create(
        Action(
            case=case,
            title="Åtgärd",
            lead_organisation=kiruna,
            created_by=demo.anna,
            due_date=today - timedelta(days=days),
            status=ActionStatus.IN_PROGRESS,
        )
        for case in cases
        for days in (-10, 3)
    )
    Action.contributors.through.objects.bulk_create(
        Action.contributors.through(action=action, organisation=police) for action in actions
    )


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def _every_figure(user) -> None:
    cases = selectors.portfolio_cases(user, public=False)
    list(selectors.portfolio_rows(cases))
    selectors.county_counts(cases)
    selectors.municipality_counts(cases, "25")
    sector_matrix(cases)
    key_figures(cases)


@pytest.mark.parametrize("number", [3, 300])
def test_the_figures_take_the_same_queries_for_3_and_300_cases(
    demo, django_assert_num_queries, number
) -> None:
    """All cases' rows (not a page): the figures are computed by the database."""
    _many_cases(demo, number)
    # the committee check, rows + scope prefetch, counties, municipalities, two matrix queries,
    # key figures and the number of cases
    with django_assert_num_queries(9):
        _every_figure(demo.anna)
    rows = list(selectors.portfolio_rows(Case.objects.filter(reference__startswith="T-")))
    assert len(rows) == number
    assert {(r.overdue_count, r.open_count, r.lead_name) for r in rows} == {
        (
            1,
            2,
            Organisation.objects.get(
                kind=OrganisationKind.MUNICIPALITY, municipality_code="2584"
            ).name,
        )
    }


@pytest.mark.parametrize("number", [3, 300])
def test_a_portfolio_page_takes_the_same_queries_for_3_and_300_cases(
    demo, django_assert_num_queries, number
) -> None:
    _many_cases(demo, number)
    client = _client(demo.anna)
    client.get("/api/v1/portfolio/cases/")  # warm: the session, the committee check
    with CaptureQueriesContext(connection) as context:
        response = client.get("/api/v1/portfolio/cases/", {"ordering": "-overdue"})
    assert response.status_code == 200
    # the count, the page of rows with every figure, the page's scope areas
    assert len(context.captured_queries) == 3, [q["sql"][:80] for q in context.captured_queries]


def test_only_cases_with_overdue_or_blocked_actions(demo) -> None:
    client = _client(demo.anna)
    overdue = client.get("/api/v1/portfolio/cases/", {"overdue": "true"}).json()["results"]
    assert {row["reference"] for row in overdue} == {demo.youth.reference, demo.school.reference}
    blocked = client.get("/api/v1/portfolio/cases/", {"blocked": "true", "region": "12"}).json()
    assert blocked["count"] == 0


def test_an_empty_filter_value_is_a_400_not_ignored(demo) -> None:
    response = _client(demo.anna).get("/api/v1/portfolio/cases/", {"theme": "", "status": ""})
    assert response.status_code == 400
    assert set(response.json()) == {"theme", "status"}
