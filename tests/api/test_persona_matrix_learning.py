"""The obstacle register in the API, persona by persona: obstacles follow their case's access
rules; the groups and their escalation are the committee's (others find nothing: 404)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import timezone

from learning.models import Obstacle, ObstacleGroup
from tests.api.test_persona_matrix import PERSONAS, Row, expect, row_response, youth_read
from tests.former_participants import former_participant


def _obstacle_body(w: SimpleNamespace) -> dict:
    return {
        "case": w.youth.pk,
        "kind": "legal",
        "statute": "OSL 25 kap. 1 §",
        "title": "Hälsouppgifter kan inte delas med skolan",
        "effect": "Elevhälsan vet inte vilka elever som får vård.",
        "organisations": [w.orgs.sodertalje.pk],
    }


def _escalation(w: SimpleNamespace) -> dict:
    return {"escalated_to": "Socialdepartementet", "escalated_on": timezone.localdate().isoformat()}


committee_only = expect(404, anna=200, anonymous=401)
committee_reads = expect(404, anna=200)  # reading needs no sign-in: anonymous finds nothing too
ROWS = [
    Row("obstacle list", "get", lambda w: "/api/v1/obstacles/", expect(200)),
    Row(
        "youth obstacle", "get", lambda w: f"/api/v1/obstacles/{w.youth_obstacle.pk}/", youth_read()
    ),
    Row(
        "obstacle create on the youth case",
        "post",
        lambda w: "/api/v1/obstacles/",
        # Olle's Fryshuset observes the case and may tell what holds it back; eve does not see
        # the case at all (its id is refused like any unknown case).
        expect(201, eve=400, anonymous=401),
        _obstacle_body,
    ),
    Row("obstacle group list", "get", lambda w: "/api/v1/obstacle-groups/", committee_reads),
    Row(
        "obstacle group detail",
        "get",
        lambda w: f"/api/v1/obstacle-groups/{w.youth_obstacle.group_id}/",
        committee_reads,
    ),
    Row(
        "obstacle group escalate",
        "post",
        lambda w: f"/api/v1/obstacle-groups/{w.youth_obstacle.group_id}/escalate/",
        committee_only,
        _escalation,
    ),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    demo.youth_obstacle = Obstacle.objects.filter(case=demo.youth).order_by("pk").first()
    demo.declined, _participation = former_participant(demo, withdrew=False)
    demo.withdrawn, _participation = former_participant(demo, withdrew=True)
    assert ObstacleGroup.objects.exists()
    return demo


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    response = row_response(api, world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
