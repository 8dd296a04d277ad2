"""Who gets what from the decision endpoints (see test_persona_matrix.py for the personas)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from decisions.services import decision_take

from .test_persona_matrix import PERSONAS, Row, expect, row_response, youth_read
from .test_persona_matrix import world as world

URL = "/api/v1/decisions/"


def _body(w: SimpleNamespace) -> dict[str, Any]:
    return {"case": w.youth.pk, "decided_on": timezone.localdate().isoformat(), "text": "Beslut."}


ROWS = [
    Row("decision list", "get", lambda w: URL, expect(200)),
    Row("youth decision detail", "get", lambda w: f"{URL}{w.youth_decision.pk}/", youth_read()),
    Row("public decision detail", "get", lambda w: f"{URL}{w.public_decision.pk}/", expect(200)),
    Row(
        "decision create",
        "post",
        lambda w: URL,
        expect(403, anna=201, anonymous=401),
        _body,
    ),
    Row(
        "decision revoke by a later decision",
        "post",
        lambda w: URL,
        expect(403, anna=201, anonymous=401),
        lambda w: {**_body(w), "revokes": w.youth_decision.pk},
    ),
    Row(
        "decision patch",
        "patch",
        lambda w: f"{URL}{w.youth_decision.pk}/",
        expect(405, anonymous=401),
        lambda w: {"text": "x"},
    ),
    Row(
        "decision delete",
        "delete",
        lambda w: f"{URL}{w.youth_decision.pk}/",
        expect(405, anonymous=401),
    ),
]


@pytest.fixture
def decisions_world(world: SimpleNamespace) -> SimpleNamespace:
    today = timezone.localdate()
    world.youth_decision = decision_take(
        actor=world.anna, case=world.youth, decided_on=today, text="Om Hovsjö."
    )
    world.public_decision = decision_take(
        actor=world.anna, case=world.public, decided_on=today, text="Om Gotland."
    )
    return world


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(
    decisions_world, api, row: Row, persona: str
) -> None:
    w = decisions_world
    response = row_response(api, w, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
