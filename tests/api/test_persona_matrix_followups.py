"""Effect follow-ups in the API, persona by persona, on the youth case once it closed: its
readers see the follow-up points; only the lead organisation (Södertälje: sara) and the case's
managers report a due value, which only the managers review; the closed case takes no other
value."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from followups import services
from followups.models import FollowUp
from tests.api.test_persona_matrix import PERSONAS, Row, expect, row_response, youth_read
from tests.followups.helpers import close, closed_ago
from tests.former_participants import former_participant


def _value(w: SimpleNamespace) -> dict:
    return {
        "organisation": w.orgs.sodertalje.pk,
        "value": "12",
        "measured_on": timezone.localdate().isoformat(),
        "note": "Uppföljning.",
    }


def _report_url(point_of) -> object:  # type: ignore[no-untyped-def]
    return lambda w: f"/api/v1/cases/{w.youth.reference}/followups/{point_of(w).pk}/report/"


lead_or_manager = expect(403, anna=201, carl=201, sara=201, eve=404, anonymous=401)
ROWS = [
    Row(
        "follow-ups of the closed youth case",
        "get",
        lambda w: f"/api/v1/cases/{w.youth.reference}/followups/",
        youth_read(),
    ),
    Row(
        "report a due follow-up value",
        "post",
        _report_url(lambda w: w.due),
        lead_or_manager,
        _value,
    ),
    Row(
        "report a follow-up value before its day",
        "post",
        _report_url(lambda w: w.later),
        expect(403, anna=409, carl=409, sara=409, eve=404, anonymous=401),
        _value,
    ),
    Row(
        "report a value on the closed case the ordinary way",
        "post",
        lambda w: f"/api/v1/outcomes/{w.due.outcome_id}/measurements/",
        expect(400, eve=404, anonymous=401),
        _value,
    ),
    Row(
        "approve a submitted follow-up value",
        "post",
        lambda w: f"/api/v1/measurements/{w.submitted.pk}/approve/",
        expect(403, anna=200, carl=200, eve=404, anonymous=401),
    ),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    demo.declined, _participation = former_participant(demo, withdrew=False)
    demo.withdrawn, _participation = former_participant(demo, withdrew=True)
    close(demo.anna, demo.youth)
    closed_ago(demo.youth, months=6, days=3)
    first, second = FollowUp.objects.filter(case=demo.youth, months=6).order_by("outcome_id")[:2]
    demo.due = first
    demo.later = FollowUp.objects.get(outcome_id=first.outcome_id, months=24)
    demo.submitted = services.followup_report(
        actor=demo.sara,
        followup=second,
        organisation=demo.orgs.sodertalje,
        value=Decimal(10),
        measured_on=timezone.localdate(),
    )
    return demo


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    response = row_response(api, world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
