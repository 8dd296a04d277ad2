"""Who gets what from the meetings' endpoints: the committee (anna) and the secretariat (carl)
prepare meetings; to everyone else a meeting does not exist (404). A case's coordinator
proposes items about the case; minutes are adjusted by a committee member who did not write
them."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from meetings import services
from meetings.choices import ItemKind
from tests.api.test_persona_matrix import PERSONAS, Row, expect, row_response
from tests.former_participants import former_participant


def preparers(ok: int = 200, **others: int) -> dict[str, int]:
    """Writes ask anonymous callers to sign in (401); reads find nothing (404), as for cases."""
    return expect(404, **{"anna": ok, "carl": ok, "anonymous": 401, **others})


def preparers_read() -> dict[str, int]:
    return preparers(anonymous=404)


def _meeting_body(w: SimpleNamespace) -> dict[str, Any]:
    starts = timezone.now() + timedelta(days=20)
    return {"title": "Extra sammanträde", "starts_at": starts.isoformat(), "place": "Rosenbad"}


def _proposal(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "meeting": w.meeting.pk,
        "case": w.youth.reference,
        "kind": "proposal",
        "title": "Förslag till beslut",
    }


def at(path: str) -> Any:
    return lambda w: path.format(w=w)


ROWS = [
    Row(
        "meeting list (empty for all but the preparers)",
        "get",
        at("/api/v1/meetings/"),
        expect(200),
    ),
    Row("meeting detail", "get", at("/api/v1/meetings/{w.meeting.pk}/"), preparers_read()),
    Row("meeting create", "post", at("/api/v1/meetings/"), preparers(201), _meeting_body),
    Row(
        "meeting patch",
        "patch",
        at("/api/v1/meetings/{w.meeting.pk}/"),
        preparers(),
        lambda w: {"place": "Kansliet, sal 2"},
    ),
    Row("agenda", "get", at("/api/v1/meetings/{w.meeting.pk}/items/"), preparers_read()),
    Row(
        "agenda add item",
        "post",
        at("/api/v1/meetings/{w.meeting.pk}/items/"),
        preparers(201),
        lambda w: {"kind": "other", "title": "Övriga frågor"},
    ),
    Row("agenda send", "post", at("/api/v1/meetings/{w.meeting.pk}/send/"), preparers()),
    Row(
        "agenda order",
        "post",
        at("/api/v1/meetings/{w.meeting.pk}/order/"),
        preparers(204),
        lambda w: {"items": [w.other.pk, w.report.pk]},
    ),
    Row(
        "item propose",
        "post",
        at("/api/v1/agenda-items/"),
        # a case's managers propose; its partners may not; to outsiders the case does not exist
        expect(403, anna=201, carl=201, eve=400, anonymous=401),
        _proposal,
    ),
    Row("item detail", "get", at("/api/v1/agenda-items/{w.report.pk}/"), preparers_read()),
    Row("item minutes", "get", at("/api/v1/agenda-items/{w.report.pk}/minutes/"), preparers_read()),
    Row(
        "item minutes write",
        "post",
        at("/api/v1/agenda-items/{w.report.pk}/minutes/"),
        preparers(),
        lambda w: {"text": "Rapporten lades till handlingarna."},
    ),
    Row(
        "item minutes correct before adjustment",
        "post",
        at("/api/v1/agenda-items/{w.report.pk}/correct/"),
        preparers(400),
        lambda w: {"text": "Rättelse", "reason": "Fel"},
    ),
    Row(
        "item decide",
        "post",
        at("/api/v1/agenda-items/{w.proposed.pk}/decide/"),
        preparers(),
        lambda w: {"take_up": True},
    ),
    Row("minutes detail", "get", at("/api/v1/minutes/{w.draft.pk}/"), preparers_read()),
    Row(
        "minutes adjust",
        "post",
        at("/api/v1/minutes/{w.draft.pk}/adjust/"),
        preparers(200, carl=403),  # carl wrote them (and is not on the committee)
    ),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    starts = timezone.now() + timedelta(days=10)
    demo.meeting = services.meeting_create(
        actor=demo.anna, title="Sammanträde", starts_at=starts, place="Rosenbad"
    )
    demo.report = services.agenda_item_add(
        actor=demo.carl,
        meeting=demo.meeting,
        case=demo.youth,
        kind=ItemKind.STATUS_REPORT,
        title="Lägesrapport",
    )
    demo.other = services.agenda_item_add(
        actor=demo.anna, meeting=demo.meeting, kind=ItemKind.OTHER, title="Övrigt"
    )
    demo.draft = services.minutes_write(actor=demo.carl, item=demo.report, text="Utkast")
    later = services.meeting_create(
        actor=demo.anna, title="Nästa", starts_at=starts + timedelta(days=30), place="Rosenbad"
    )
    demo.proposed = services.agenda_item_propose(
        actor=demo.carl, meeting=later, case=demo.youth, kind=ItemKind.PROPOSAL, title="Förslag"
    )
    demo.declined, _p = former_participant(demo, withdrew=False)
    demo.withdrawn, _p = former_participant(demo, withdrew=True)
    return demo


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    response = row_response(api, world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
