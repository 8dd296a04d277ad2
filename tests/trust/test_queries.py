"""The trust pages and endpoints cost the same with many rounds and cases as with the demo's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trust import services
from trust.choices import Principle
from trust.models import TrustRound

pytestmark = pytest.mark.django_db

CASE_TRUST_PAGE_QUERIES = 18
OVERVIEW_PAGE_QUERIES = 9
ROUNDS_API_QUERIES = 11


def _more_closed_rounds(demo, count: int) -> None:
    """`count` more rounds of the youth case, each answered by its three organisations."""
    for _ in range(count):
        open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
        for user, organisation in (
            (demo.sara, demo.orgs.sodertalje),
            (demo.petra, demo.orgs.police),
            (demo.rita, demo.orgs.region_stockholm),
        ):
            services.trust_answers_submit(
                actor=user,
                trust_round=open_round,
                organisation_id=organisation.pk,
                scores=dict.fromkeys(Principle.values, 4),
                now=open_round.opened_at,
            )
        services.trust_round_close(trust_round=open_round, now=open_round.deadline)
        services.trust_round_open(case=demo.youth, now=open_round.deadline + timedelta(days=1))


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_trust_page_and_api_cost_the_same_with_many_rounds(demo, client_for) -> None:
    client = client_for(demo.sara)
    page = reverse("case_trust", args=[demo.youth.reference])
    api = f"/api/v1/cases/{demo.youth.reference}/trust/rounds/"
    counts = (_count(client, page), _count(client, api))
    _more_closed_rounds(demo, 14)
    assert (_count(client, page), _count(client, api)) == counts
    assert counts == (CASE_TRUST_PAGE_QUERIES, ROUNDS_API_QUERIES)


def test_the_committee_overview_costs_the_same_with_every_case_assessed(demo, client_for):
    client = client_for(demo.anna)
    url = reverse("trust_overview")
    before = _count(client, url)
    for case in (demo.care, demo.public):
        trust_round = services.trust_round_open(case=case, now=demo.youth.created_at)
        services.trust_round_close(trust_round=trust_round, now=trust_round.deadline)
    assert _count(client, url) == before == OVERVIEW_PAGE_QUERIES
