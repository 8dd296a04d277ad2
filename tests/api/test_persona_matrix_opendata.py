"""Open data: every persona, signed in or not, gets the same answer from every address.

/data/ is outside /api/v1/ (one public document per address, no sign-in, nothing that depends
on who asks); the rows below read it with each persona's session, so a signed-in reader would
notice if anything leaked in for them or was held back.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.api.test_persona_matrix import PERSONAS, Row, expect
from tests.former_participants import former_participant

ROWS = [
    Row("open data page", "get", lambda w: "/data/", expect(200)),
    Row("catalogue", "get", lambda w: "/data/catalog.jsonld", expect(200)),
    Row("change feed", "get", lambda w: "/data/changes.atom", expect(200)),
    *[
        Row(f"{slug} {kind}", "get", lambda w, path=path: path, expect(200))
        for slug in ("cases", "participations", "actions", "measurements")
        for kind, path in (
            ("json", f"/data/{slug}.json"),
            ("csv", f"/data/{slug}.csv"),
            ("schema", f"/data/schema/{slug}.json"),
        )
    ],
    Row("unknown dataset", "get", lambda w: "/data/people.json", expect(404)),
]
# The page greets whoever is signed in; the data itself is the same for all.
SAME_FOR_ALL = [row for row in ROWS if row.name != "open data page" and row.expected["eve"] == 200]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    demo.declined, _participation = former_participant(demo, withdrew=False)
    demo.withdrawn, _participation = former_participant(demo, withdrew=True)
    return demo


def _client(world: SimpleNamespace, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, row: Row, persona: str) -> None:
    response = _client(world, persona).get(row.url(world))
    assert response.status_code == row.expected[persona]


@pytest.mark.parametrize("row", SAME_FOR_ALL, ids=[row.name for row in SAME_FOR_ALL])
def test_every_persona_reads_the_same_open_data(world, row: Row) -> None:
    anonymous = _body(_client(world, "anonymous").get(row.url(world)))
    for persona in PERSONAS:
        assert _body(_client(world, persona).get(row.url(world))) == anonymous, persona
