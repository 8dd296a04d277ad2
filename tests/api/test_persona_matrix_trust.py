"""The trust self-assessment in the API, persona by persona: a case's rounds follow its access
rules; only members of an organisation asked in the open round answer (for it); the averages
across cases are the committee's (others find nothing: 404)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.api.test_persona_matrix import PERSONAS, Row, expect, row_response, youth_read
from tests.former_participants import former_participant
from trust.choices import Principle


def _answers(w: SimpleNamespace) -> dict:
    return {
        "answers": [
            {"principle": principle, "score": 4, "comment": "Bra samarbete."}
            for principle in Principle.values
        ]
    }


committee_reads = expect(404, anna=200)
ROWS = [
    Row(
        "youth trust rounds",
        "get",
        lambda w: f"/api/v1/cases/{w.youth.reference}/trust/rounds/",
        youth_read(),
    ),
    Row(
        "public trust rounds",
        "get",
        lambda w: f"/api/v1/cases/{w.public.reference}/trust/rounds/",
        expect(200),
    ),
    Row(
        "youth trust answers",
        "post",
        lambda w: f"/api/v1/cases/{w.youth.reference}/trust/answers/",
        # Södertälje kommun and Polismyndigheten are asked; the committee, the coordinator's
        # secretariat and the observing Fryshuset are not (a field error, nothing written).
        expect(400, sara=200, petra=200, eve=404, anonymous=401),
        _answers,
    ),
    Row("trust across cases", "get", lambda w: "/api/v1/trust/cases/", committee_reads),
    Row("trust overall", "get", lambda w: "/api/v1/trust/overall/", committee_reads),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    demo.declined, _participation = former_participant(demo, withdrew=False)
    demo.withdrawn, _participation = former_participant(demo, withdrew=True)
    return demo


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    response = row_response(api, world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
