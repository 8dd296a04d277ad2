"""Who gets what from the downloads and the import pages (web views, signed in by session):
the same answers as the pages they belong to. See tests/api/test_persona_matrix.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.test_persona_matrix import PERSONAS, Row, expect, world  # noqa: F401 - fixture

SIGN_IN = 302  # a signed-out visitor is sent to sign in


def _download(slug: str, extension: str, query: str = "") -> object:
    return lambda w: reverse("export_download", args=[slug, extension]) + query.format(w=w)


def youth_page() -> dict[str, int]:
    """Readable by whoever sees the youth case; unknown to others; sign in first."""
    return expect(200, eve=404, anonymous=SIGN_IN)


ROWS = [
    Row("cases csv", "get", _download("cases", "csv"), expect(200)),
    Row("cases xlsx (filtered)", "get", _download("cases", "xlsx", "?status=active"), expect(200)),
    Row(
        "youth actions csv",
        "get",
        _download("actions", "csv", "?case={w.youth.reference}"),
        youth_page(),
    ),
    Row(
        "youth participants xlsx",
        "get",
        _download("participants", "xlsx", "?case={w.youth.reference}"),
        youth_page(),
    ),
    Row(
        "youth outcomes csv",
        "get",
        _download("outcomes", "csv", "?case={w.youth.reference}"),
        youth_page(),
    ),
    Row(
        "youth measurements xlsx",
        "get",
        _download("measurements", "xlsx", "?case={w.youth.reference}"),
        youth_page(),
    ),
    Row(
        "youth outcome's measurements csv",
        "get",
        _download("measurements", "csv", "?outcome={w.suspects.pk}"),
        youth_page(),
    ),
    Row(
        "someone else's case's measurements",
        "get",
        _download("measurements", "csv", "?case={w.care.reference}"),
        expect(404, anna=200, anonymous=SIGN_IN),
    ),
    Row(
        "every measurement I may see",
        "get",
        _download("measurements", "csv"),
        expect(200, anonymous=SIGN_IN),
    ),
    Row(
        "webhook delivery log (own organisations' only)",
        "get",
        _download("webhook-deliveries", "csv"),
        expect(200, anonymous=SIGN_IN),
    ),
    Row(
        "measurement import page",
        "get",
        lambda w: reverse("measurement_import", args=[w.youth.reference]),
        # Whoever may report a value: the committee, the coordinator and the working
        # participants; the observer sees the case but reports nothing.
        expect(200, olle=403, eve=404, anonymous=SIGN_IN),
    ),
    Row(
        "someone else's import",
        "get",
        lambda w: reverse("measurement_import_preview", args=[w.carls_import.pk]),
        expect(404, carl=200, anonymous=SIGN_IN),
    ),
]


@pytest.fixture
def exports_world(world: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    from exports.services import measurement_import_prepare

    header = "Mål-id;Datum;Värde;Organisation\n"
    data = f"{header}{world.suspects.pk};2020-01-01;1;Polismyndigheten\n".encode()
    world.carls_import = measurement_import_prepare(
        actor=world.carl, case=world.youth, file_name="carl.csv", data=data
    )
    return world


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(exports_world, row: Row, persona: str) -> None:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(exports_world, persona))
    response = client.get(row.url(exports_world))
    assert response.status_code == row.expected[persona], persona
