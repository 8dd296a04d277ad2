"""Text with NUL characters cannot be stored by PostgreSQL: the API refuses it up front."""

from __future__ import annotations

import pytest


@pytest.fixture
def committee_client(client, demo):
    client.force_login(demo.anna)
    return client


def test_nul_in_a_slug_lookup_is_a_400_not_a_500(committee_client) -> None:
    response = committee_client.post(
        "/api/v1/cases/",
        {"title": "T", "summary": "S", "theme": "\x00x", "is_national": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_form_body_is_a_400(committee_client) -> None:
    response = committee_client.post("/api/v1/cases/", {"title": "a\x00b"})
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["theme=%00", "q=a%00", "status%00=x"])
def test_nul_in_the_query_string_is_a_400(committee_client, query) -> None:
    response = committee_client.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
