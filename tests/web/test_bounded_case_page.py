"""The case page of a case with hundreds of actions and values costs what a small one costs:
the same queries, at most a few rows per status and per outcome, a chart of a bounded series."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import Organisation
from cases.choices import ActionStatus, ParticipationRole, ParticipationState, ReviewState
from cases.models import Action, Measurement, Participation
from cases.views.case_sections import ACTION_ROWS, CHART_POINTS, LATEST_VALUES, PARTICIPANT_ROWS

from .scenario import build_case
from .test_case_page import CASE_PAGE_QUERIES

pytestmark = pytest.mark.django_db

MANY = 300


def _grow(scenario, committee) -> None:
    """Hundreds of actions over every status and hundreds of approved values, written in bulk
    (the services would take minutes; the page only reads them)."""
    statuses = ActionStatus.values
    start = date(2026, 1, 1)
    Action.objects.bulk_create(
        Action(
            case=scenario.case,
            title=f"Bulk action {i}",
            lead_organisation=scenario.lead,
            status=statuses[i % len(statuses)],
            due_date=start + timedelta(days=i),
            created_by=committee,
        )
        for i in range(MANY)
    )
    outcome = scenario.outcomes[0]
    Measurement.objects.bulk_create(
        Measurement(
            outcome=outcome,
            organisation=scenario.lead,
            reported_by=committee,
            value=Decimal(10 + i % 10),
            measured_on=date(2025, 1, 2) + timedelta(days=i),
            review_state=ReviewState.APPROVED,
        )
        for i in range(MANY)
    )


def _page(client, case) -> str:
    response = client.get(reverse("case_detail", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_with_hundreds_of_actions_and_values_makes_the_same_queries(
    demo, client_for, django_assert_num_queries
) -> None:
    scenario = build_case(demo.anna, 1, prefix="Växer")
    client = client_for(demo.anna)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        _page(client, scenario.case)
    _grow(scenario, demo.anna)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        html = _page(client, scenario.case)
    # Each status shows its first few actions, soonest due first, and links to all of them.
    for status, label in ActionStatus.choices:
        count = Action.objects.filter(case=scenario.case, status=status).count()
        assert f"All {count} actions: {label.lower()}" in html
    shown = set(re.findall(r'href="/actions/(\d+)/"', html))
    assert len(shown) <= ACTION_ROWS * len(ActionStatus.values) + 3  # and the next deadlines
    first_planned = (
        Action.objects.filter(case=scenario.case, status="planned").order_by("due_date").first()
    )
    assert f'href="/actions/{first_planned.pk}/"' in html
    # The outcome's table has its newest values; the chart plots a bounded series.
    assert f"(the newest {LATEST_VALUES} of {MANY + 1})" in html
    newest = date(2025, 1, 2) + timedelta(days=MANY - 1)
    assert str(newest.year) in html
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    assert svg.count('class="chart-point"') == CHART_POINTS
    assert f"The chart shows the newest {CHART_POINTS} approved values" in html


def test_the_progress_is_that_of_the_newest_approved_value(demo, client_for) -> None:
    scenario = build_case(demo.anna, 1, prefix="Mått")
    _grow(scenario, demo.anna)
    outcome = scenario.outcomes[0]
    newest = Measurement.objects.filter(outcome=outcome).order_by("-measured_on").first()
    html = _page(client_for(demo.anna), scenario.case)
    share = round(float(outcome.progress_of(newest.value)) * 100)
    assert f"Progress toward the target: {share} %" in html


def test_many_participants_are_cut_on_the_case_page_and_paged_on_their_own(
    demo, client_for, django_assert_num_queries
) -> None:
    scenario = build_case(demo.anna, 1, prefix="Bred")
    client = client_for(demo.anna)
    taken = Participation.objects.filter(case=scenario.case).values("organisation_id")
    others = Organisation.objects.exclude(pk__in=taken).order_by("pk")[:40]
    Participation.objects.bulk_create(
        Participation(
            case=scenario.case,
            organisation=org,
            role=ParticipationRole.PARTNER,
            state=ParticipationState.DECLINED if i % 4 == 0 else ParticipationState.ACTIVE,
            invited_by=demo.anna,
        )
        for i, org in enumerate(others)
    )
    current = Participation.objects.filter(case=scenario.case, state="active").count()
    former = Participation.objects.filter(case=scenario.case, state="declined").count()
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        html = _page(client, scenario.case)
    section = html[html.index('id="participants"') : html.index('id="actions"')]
    assert section.count("<tr>") <= PARTICIPANT_ROWS + 1  # and the header row
    assert f"All {current} participants" in section
    url = reverse("case_participants", args=[scenario.case.reference])
    first = client.get(url).content.decode()
    assert first.count('<td data-label="Role">') == 25 and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<td data-label="Role">') == current - 25
    declined = client.get(url, {"state": "former"}).content.decode()
    assert declined.count('<td data-label="Role">') == former


def test_the_participants_page_of_a_restricted_case_is_a_404_to_outsiders(demo, client_for):
    url = reverse("case_participants", args=[demo.youth.reference])
    assert client_for(demo.eve).get(url).status_code == 404
    assert client_for(demo.carl).get(url).status_code == 200
