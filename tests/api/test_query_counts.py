"""Every list costs the same number of queries for 1 row as for 50; details for 1 or 30 related."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.services import api_token_create, organisation_create
from cases import services
from cases.models import Case, Outcome

TODAY = timezone.localdate()


@dataclass
class Scenario:
    name: str
    persona: str | None
    setup: Callable[[SimpleNamespace], None]  # prepares the object the url points at
    add: Callable[[SimpleNamespace, int, int], None]  # adds related rows [start, stop)
    url: Callable[[SimpleNamespace], str]


def _case(w: SimpleNamespace, title: str = "Mätärende", visibility: str = "restricted") -> Case:
    return services.case_create(
        actor=w.anna,
        title=title,
        summary="S",
        theme=w.youth.theme,
        scope_areas=[w.orgs.sodertalje, w.orgs.kiruna],
        visibility=visibility,
        coordinator=w.carl,
    )


def _outcome(w: SimpleNamespace, title: str = "Mätmål") -> Outcome:
    return services.outcome_create(
        actor=w.carl,
        case=w.youth,
        title=title,
        indicator="I",
        unit="st",
        direction="increase",
        baseline_value=Decimal(0),
        baseline_date=TODAY - timedelta(days=400),
        target_value=Decimal(100),
        target_date=TODAY + timedelta(days=100),
    )


def _action(w: SimpleNamespace, title: str, depends_on: list | None = None):  # type: ignore[no-untyped-def]
    return services.action_create(
        actor=w.carl,
        case=w.youth,
        title=title,
        lead_organisation=w.orgs.police,
        contributors=[w.orgs.sodertalje],
        assignee=w.petra,
        depends_on=depends_on or [w.actions.picture],
    )


def _measure(w: SimpleNamespace, outcome: Outcome, start: int, stop: int) -> None:
    for i in range(start, stop):
        services.measurement_report(
            actor=w.petra,
            outcome=outcome,
            organisation=w.orgs.police,
            value=Decimal(i),
            measured_on=TODAY - timedelta(days=i),
        )


def _municipalities(start: int, stop: int) -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)[start:stop])


def _noop(w: SimpleNamespace) -> None:
    return None


LISTS = [
    Scenario(
        "organisations",
        None,
        _noop,
        lambda w, a, b: [
            organisation_create(name=f"Mätförening {i}", kind=OrganisationKind.CIVIL_SOCIETY)
            for i in range(a, b)
        ],
        lambda w: "/api/v1/organisations/?q=Mätförening&page_size=50",
    ),
    Scenario(
        "tokens",
        "olle",
        _noop,
        lambda w, a, b: [api_token_create(user=w.olle, name=f"T{i}") for i in range(a, b)],
        lambda w: "/api/v1/tokens/?page_size=50",
    ),
    Scenario(
        "cases as committee",
        "anna",
        _noop,
        lambda w, a, b: [_case(w, f"Mätärende {i}") for i in range(a, b)],
        lambda w: "/api/v1/cases/?q=Mätärende&page_size=50",
    ),
    Scenario(
        "public cases as a partner",
        "petra",
        _noop,
        lambda w, a, b: [_case(w, f"Mätärende {i}", "public") for i in range(a, b)],
        lambda w: "/api/v1/cases/?q=Mätärende&page_size=50",
    ),
    Scenario(
        "actions as a partner",
        "petra",
        _noop,
        lambda w, a, b: [_action(w, f"Mätåtgärd {i}") for i in range(a, b)],
        lambda w: "/api/v1/actions/?search=Mätåtgärd&page_size=50",
    ),
    Scenario(
        "outcomes as coordinator",
        "carl",
        _noop,
        lambda w, a, b: [_measure(w, _outcome(w, f"Mätmål {i}"), 0, 2) for i in range(a, b)],
        lambda w: "/api/v1/outcomes/?search=Mätmål&page_size=50",
    ),
    Scenario(
        "case history",
        "carl",
        lambda w: setattr(w, "target", _case(w)),
        lambda w, a, b: [
            services.case_update(actor=w.anna, case=w.target, data={"title": f"Mät {i}"})
            for i in range(max(a, 1), b)
        ],
        lambda w: f"/api/v1/cases/{w.target.pk}/history/?page_size=50",
    ),
    Scenario(
        "case participations",
        "carl",
        lambda w: setattr(w, "target", _case(w)),
        lambda w, a, b: [
            services.participation_invite(
                actor=w.anna, case=w.target, organisation=org, role="contributor"
            )
            for org in _municipalities(a, b)
        ],
        lambda w: f"/api/v1/cases/{w.target.pk}/participations/?page_size=50",
    ),
    Scenario(
        "action updates",
        "petra",
        _noop,
        lambda w, a, b: [
            services.action_update_post(actor=w.petra, action=w.actions.picture, text=f"U{i}")
            for i in range(a, b)
        ],
        lambda w: f"/api/v1/actions/{w.actions.picture.pk}/updates/?page_size=50",
    ),
    Scenario(
        "measurements",
        "petra",
        lambda w: setattr(w, "target", _outcome(w)),
        lambda w, a, b: _measure(w, w.target, a, b),
        lambda w: f"/api/v1/outcomes/{w.target.pk}/measurements/?page_size=50",
    ),
]

DETAILS = [
    Scenario(
        "case with participants and areas",
        "anna",
        lambda w: setattr(w, "target", _case(w)),
        lambda w, a, b: (
            [
                services.participation_invite(
                    actor=w.anna, case=w.target, organisation=org, role="contributor"
                )
                for org in _municipalities(a, b)
            ]
            and services.case_update(
                actor=w.anna, case=w.target, data={"scope_areas": _municipalities(0, b)}
            )
        ),
        lambda w: f"/api/v1/cases/{w.target.pk}/",
    ),
    Scenario(
        "action with dependencies",
        "petra",
        lambda w: setattr(w, "target", _action(w, "Mål för beroenden")),
        lambda w, a, b: services.action_update(
            actor=w.carl,
            action=w.target,
            data={"depends_on": [_action(w, f"Beroende {i}") for i in range(b)]},
        ),
        lambda w: f"/api/v1/actions/{w.target.pk}/",
    ),
    Scenario(
        "outcome with measurements",
        "petra",
        lambda w: setattr(w, "target", _outcome(w)),
        lambda w, a, b: _measure(w, w.target, a, b),
        lambda w: f"/api/v1/outcomes/{w.target.pk}/",
    ),
]


def _client(w: SimpleNamespace, persona: str | None) -> APIClient:
    client = APIClient()
    if persona:
        client.force_login(getattr(w, persona))
    return client


def _queries(client: APIClient, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context), response.json()


def _same_queries(demo, django_assert_num_queries, scenario: Scenario, many: int) -> dict:
    scenario.setup(demo)
    scenario.add(demo, 0, 1)
    client = _client(demo, scenario.persona)
    client.get(scenario.url(demo))  # warm up the session
    few, _body = _queries(client, scenario.url(demo))
    scenario.add(demo, 1, many)
    with django_assert_num_queries(few):
        response = client.get(scenario.url(demo))
    return response.json()


@pytest.mark.parametrize("scenario", LISTS, ids=[s.name for s in LISTS])
def test_list_costs_the_same_queries_for_1_and_50_rows(
    demo, django_assert_num_queries, scenario: Scenario
) -> None:
    body = _same_queries(demo, django_assert_num_queries, scenario, 50)
    assert len(body["results"]) == 50


@pytest.mark.parametrize("scenario", DETAILS, ids=[s.name for s in DETAILS])
def test_detail_costs_the_same_queries_for_1_and_30_related_rows(
    demo, django_assert_num_queries, scenario: Scenario
) -> None:
    body = _same_queries(demo, django_assert_num_queries, scenario, 30)
    related = body.get("participations") or body.get("depends_on") or body["progress"]
    assert related
