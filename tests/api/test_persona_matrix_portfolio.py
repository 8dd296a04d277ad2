"""The portfolio's endpoints in the persona matrix: the full portfolio is the committee's (others
403, anonymous 401); the public version answers everyone."""

from __future__ import annotations

import pytest

from tests.api.test_persona_matrix import PERSONAS, Row, expect, world  # noqa: F401 - fixture

COMMITTEE_ONLY = expect(403, anna=200, anonymous=401)
EVERYONE = expect(200)
MISSING_ORGANISATION = 2**40

ROWS = [
    Row("portfolio cases", "get", lambda w: "/api/v1/portfolio/cases/", COMMITTEE_ONLY),
    Row(
        "portfolio cases flagged",
        "get",
        lambda w: "/api/v1/portfolio/cases/?flag=needs_committee&ordering=-overdue",
        COMMITTEE_ONLY,
    ),
    Row("portfolio counties", "get", lambda w: "/api/v1/portfolio/counties/", COMMITTEE_ONLY),
    Row(
        "portfolio municipalities of a län",
        "get",
        lambda w: "/api/v1/portfolio/counties/01/municipalities/",
        COMMITTEE_ONLY,
    ),
    Row(
        "portfolio municipalities of no län",
        "get",
        lambda w: "/api/v1/portfolio/counties/99/municipalities/",
        expect(403, anna=404, anonymous=401),
    ),
    Row(
        "portfolio collaboration",
        "get",
        lambda w: "/api/v1/portfolio/collaboration/",
        COMMITTEE_ONLY,
    ),
    Row(
        "portfolio partners",
        "get",
        lambda w: f"/api/v1/portfolio/collaboration/partners/{w.orgs.sodertalje.pk}/",
        COMMITTEE_ONLY,
    ),
    Row(
        "portfolio partners of no organisation",
        "get",
        lambda w: f"/api/v1/portfolio/collaboration/partners/{MISSING_ORGANISATION}/",
        expect(403, anna=404, anonymous=401),
    ),
    Row("public portfolio cases", "get", lambda w: "/api/v1/portfolio/public/cases/", EVERYONE),
    Row(
        "public portfolio counties", "get", lambda w: "/api/v1/portfolio/public/counties/", EVERYONE
    ),
    Row(
        "public portfolio municipalities",
        "get",
        lambda w: "/api/v1/portfolio/public/counties/09/municipalities/",
        EVERYONE,
    ),
    Row(
        "public portfolio collaboration",
        "get",
        lambda w: "/api/v1/portfolio/public/collaboration/",
        EVERYONE,
    ),
    Row(
        "public portfolio partners",
        "get",
        lambda w: f"/api/v1/portfolio/public/collaboration/partners/{w.orgs.sodertalje.pk}/",
        EVERYONE,
    ),
    Row(
        "public portfolio cases with an unknown ordering",
        "get",
        lambda w: "/api/v1/portfolio/public/cases/?ordering=nonsense",
        expect(400),
    ),
]


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:  # noqa: F811
    client = api(None if persona == "anonymous" else getattr(world, persona))
    response = client.get(row.url(world))
    assert response.status_code == row.expected[persona], response.content[:500]
