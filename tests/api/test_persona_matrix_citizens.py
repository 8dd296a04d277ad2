"""Citizens' experiences in the API, persona by persona: anyone reads what is published on a
public case and shares an experience there (a restricted case does not exist for it); only the
case's managers (here the committee: anna coordinates the public demo case) see and moderate
what waits. Everyone else finds nothing (404), anonymous writers are asked to sign in (401)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from citizens.choices import ExperienceStatus
from citizens.models import Experience
from tests.api.test_persona_matrix import PERSONAS, Row, expect, row_response
from tests.former_participants import former_participant


def _public(w: SimpleNamespace) -> str:
    return f"/api/v1/public/cases/{w.public.reference}/experiences/"


def _restricted(w: SimpleNamespace) -> str:
    return f"/api/v1/public/cases/{w.youth.reference}/experiences/"


def _moderate(action: str = "") -> object:
    return lambda w: f"/api/v1/experiences/{w.pending.pk}/{action + '/' if action else ''}"


def _experience(w: SimpleNamespace) -> dict:
    return {"kind": "suggestion", "text": "Fler bänkar längs promenadstråket i Klintehamn."}


moderators_only = expect(404, anna=200, anonymous=401)
ROWS = [
    Row("published experiences of the public case", "get", _public, expect(200)),
    Row("experiences of a restricted case", "get", _restricted, expect(404)),
    Row("share on the public case", "post", _public, expect(201), _experience),
    Row("share on a restricted case", "post", _restricted, expect(404), _experience),
    # The list answers everyone; it holds only what the asker moderates (see the test below).
    Row("moderation list", "get", lambda w: "/api/v1/experiences/", expect(200)),
    Row("pending experience", "get", _moderate(), expect(404, anna=200)),
    Row("publish", "post", _moderate("publish"), moderators_only),
    Row(
        "reject",
        "post",
        _moderate("reject"),
        moderators_only,
        lambda w: {"rejection_reason": "Handlar om ett annat ärende."},
    ),
    Row("reply", "post", _moderate("reply"), moderators_only, lambda w: {"reply": "Tack!"}),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    demo.pending = Experience.objects.get(case=demo.public, status=ExperienceStatus.PENDING)
    demo.declined, _participation = former_participant(demo, withdrew=False)
    demo.withdrawn, _participation = former_participant(demo, withdrew=True)
    return demo


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    before = Experience.objects.count()
    response = row_response(api, world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
    if response.status_code >= 300:
        assert Experience.objects.count() == before
        world.pending.refresh_from_db()
        assert world.pending.status == ExperienceStatus.PENDING


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_moderators_list_waiting_experiences_and_contact_addresses(
    world, api, persona: str
) -> None:
    client = api(None if persona == "anonymous" else getattr(world, persona))
    listed = client.get("/api/v1/experiences/").json()["results"]
    public = client.get(_public(world)).content.decode()
    assert world.pending.text not in public and world.pending.contact_email not in public
    if persona == "anna":
        assert [row["contact_email"] for row in listed if row["id"] == world.pending.pk] == [
            world.pending.contact_email
        ]
    else:
        assert listed == []
