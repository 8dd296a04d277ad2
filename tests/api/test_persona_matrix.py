"""Who gets what from every endpoint and method: one table, one row per endpoint and method.

Personas: anna (committee), carl (coordinator of the youth case), sara (Södertälje kommun, lead
organisation and its admin), petra (Polismyndigheten, another partner, its admin), olle
(Fryshuset, observer), eve (outsider), declined (admin of an organisation that declined its
invitation to the youth case), withdrawn (admin of one that accepted and then withdrew), and
anonymous. A former participant knows no more than eve: where a row names no status for them,
they get eve's. To extend: add a Row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from agencies.services import api_token_create
from cases import services
from cases.models import Outcome
from tests.former_participants import former_participant
from tests.helpers import nothing_written

PERSONAS = ["anna", "carl", "sara", "petra", "olle", "eve", "declined", "withdrawn", "anonymous"]
VISIBLE_TO_YOUTH = {"anna", "carl", "sara", "petra", "olle"}
FORMER_PARTICIPANTS = {"declined", "withdrawn"}


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Status per persona; former participants answer like the outsider eve unless named."""
    outsider = overrides.get("eve", default)
    return {
        persona: overrides.get(persona, outsider if persona in FORMER_PARTICIPANTS else default)
        for persona in PERSONAS
    }


def former_participation_rows(which: str) -> list[Row]:
    """Every participation endpoint on the declined or withdrawn organisation's participation:
    the case's managers still see it (but change nothing: it is no longer current), the other
    participants see it and may not change it, and the former participant finds nothing (404)."""
    url = "/api/v1/participations/{}/"

    def at(suffix: str = "") -> Callable[[SimpleNamespace], str]:
        return lambda w: url.format(getattr(w, f"{which}_in_youth").pk) + suffix

    refused = expect(403, anna=400, carl=400, eve=404, anonymous=401)
    answer = expect(403, eve=404, anonymous=401)
    mandate = {"mandate": "Vi vill vara med igen."}
    return [
        Row(f"{which} participation detail", "get", at(), youth_read()),
        Row(f"{which} participation patch", "patch", at(), refused, lambda w: mandate),
        Row(
            f"{which} participation put",
            "put",
            at(),
            refused,
            lambda w: {
                "organisation": getattr(w, f"{which}_in_youth").organisation_id,
                "role": "contributor",
                "mandate": "Nytt mandat.",
                "contact_person": None,
            },
        ),
        Row(f"{which} participation accept", "post", at("accept/"), answer, lambda w: mandate),
        Row(f"{which} participation decline", "post", at("decline/"), answer),
        Row(f"{which} participation withdraw", "post", at("withdraw/"), refused),
    ]


def youth_read() -> dict[str, int]:
    """Readable by the committee, the coordinator and the participants; nobody else knows it."""
    return expect(200, eve=404, anonymous=404)


def youth_manage(ok: int = 200) -> dict[str, int]:
    """Only the committee and the coordinator change it; other viewers are refused (403)."""
    return expect(403, anna=ok, carl=ok, eve=404, anonymous=401)


@dataclass
class Row:
    name: str
    method: str
    url: Callable[[SimpleNamespace], str]
    expected: dict[str, int]
    body: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda w: {})


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _case_body(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "title": "Unga i kriminalitet i Södertälje och Nykvarn",
        "summary": "Färre unga i kriminella nätverk.",
        "theme": "youth-crime",
        "is_national": False,
        "scope_areas": [w.orgs.sodertalje.pk],
        "priority": "high",
        "visibility": "restricted",
        "coordinator": w.carl.pk,
    }


def _action_body(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "title": "Gemensam lägesbild, version 2",
        "lead_organisation": w.orgs.police.pk,
        "assignee": w.petra.pk,
        "status": "in_progress",
    }


ROWS = [
    Row("organisation list", "get", lambda w: "/api/v1/organisations/", expect(200)),
    Row(
        "organisation detail",
        "get",
        lambda w: f"/api/v1/organisations/{w.orgs.police.pk}/",
        expect(200),
    ),
    Row("me", "get", lambda w: "/api/v1/me/", expect(200, anonymous=401)),
    Row("token list", "get", lambda w: "/api/v1/tokens/", expect(200, anonymous=401)),
    Row(
        "token create",
        "post",
        lambda w: "/api/v1/tokens/",
        expect(201, anonymous=401),
        lambda w: {"name": "Ärendesystem"},
    ),
    Row(
        "token revoke (anna's)",
        "delete",
        lambda w: f"/api/v1/tokens/{w.anna_token.pk}/",
        expect(404, anna=204, anonymous=401),
    ),
    Row("case list", "get", lambda w: "/api/v1/cases/", expect(200)),
    Row(
        "case create",
        "post",
        lambda w: "/api/v1/cases/",
        expect(403, anna=201, anonymous=401),
        _case_body,
    ),
    Row("restricted case detail", "get", lambda w: f"/api/v1/cases/{w.youth.pk}/", youth_read()),
    Row(
        "someone else's restricted case",
        "get",
        lambda w: f"/api/v1/cases/{w.care.pk}/",
        # petra's organisation is invited to it (the world's open invitation): while it decides,
        # she reads the case's overview and participants, not its work.
        expect(404, anna=200, petra=200),
    ),
    Row(
        "someone else's restricted case history (petra invited to it)",
        "get",
        lambda w: f"/api/v1/cases/{w.care.pk}/history/",
        expect(404, anna=200),
    ),
    Row(
        "acknowledge an answer (police to the care case: not answered yet)",
        "post",
        lambda w: f"/api/v1/participations/{w.invitation.pk}/acknowledge/",
        expect(404, anna=400, petra=403, anonymous=401),
    ),
    Row("public case detail", "get", lambda w: f"/api/v1/cases/{w.public.pk}/", expect(200)),
    Row(
        "case patch",
        "patch",
        lambda w: f"/api/v1/cases/{w.youth.pk}/",
        youth_manage(),
        lambda w: {"priority": "critical"},
    ),
    Row("case put", "put", lambda w: f"/api/v1/cases/{w.youth.pk}/", youth_manage(), _case_body),
    Row(
        "someone else's restricted case patch",
        "patch",
        lambda w: f"/api/v1/cases/{w.care.pk}/",
        expect(404, anna=200, anonymous=401),
        lambda w: {"priority": "critical"},
    ),
    Row(
        "public case patch",
        "patch",
        lambda w: f"/api/v1/cases/{w.public.pk}/",
        expect(403, anna=200, anonymous=401),
        lambda w: {"priority": "critical"},
    ),
    Row(
        "case transition",
        "post",
        lambda w: f"/api/v1/cases/{w.youth.pk}/transition/",
        youth_manage(),
        lambda w: {"to_status": "on_hold", "reason": "Inväntar nya mandat."},
    ),
    Row(
        "illegal case transition",
        "post",
        lambda w: f"/api/v1/cases/{w.youth.pk}/transition/",
        youth_manage(ok=409),
        lambda w: {"to_status": "closed", "reason": "Klart."},
    ),
    Row("case history", "get", lambda w: f"/api/v1/cases/{w.youth.pk}/history/", youth_read()),
    Row(
        "case participations",
        "get",
        lambda w: f"/api/v1/cases/{w.youth.pk}/participations/",
        youth_read(),
    ),
    Row(
        "invite an organisation",
        "post",
        lambda w: f"/api/v1/cases/{w.youth.pk}/participations/",
        youth_manage(ok=201),
        lambda w: {"organisation": w.orgs.kiruna.pk, "role": "contributor"},
    ),
    Row(
        "participation detail",
        "get",
        lambda w: f"/api/v1/participations/{w.police_in_youth.pk}/",
        youth_read(),
    ),
    Row(
        "participation mandate (police's)",
        "patch",
        lambda w: f"/api/v1/participations/{w.police_in_youth.pk}/",
        expect(403, anna=200, carl=200, petra=200, eve=404, anonymous=401),
        lambda w: {"mandate": "Kan prioritera lokala resurser och dela lägesbilder."},
    ),
    Row(
        "accept an invitation (police to the care case)",
        "post",
        lambda w: f"/api/v1/participations/{w.invitation.pk}/accept/",
        expect(404, anna=403, petra=200, anonymous=401),
        lambda w: {"mandate": "Lokalpolisområde Malmö."},
    ),
    Row(
        "decline an invitation (police to the care case)",
        "post",
        lambda w: f"/api/v1/participations/{w.invitation.pk}/decline/",
        expect(404, anna=403, petra=200, anonymous=401),
        lambda w: {"reason": "Inte vårt uppdrag."},
    ),
    Row(
        "withdraw (Fryshuset from the youth case)",
        "post",
        lambda w: f"/api/v1/participations/{w.fryshuset_in_youth.pk}/withdraw/",
        expect(403, anna=200, carl=200, olle=200, eve=404, anonymous=401),
        lambda w: {"reason": "Avslutar vår medverkan."},
    ),
    Row("action list", "get", lambda w: "/api/v1/actions/", expect(200)),
    Row(
        "action create (police leads)",
        "post",
        lambda w: "/api/v1/actions/",
        # eve names a case she cannot see: "does not exist" (400), no leak.
        expect(403, anna=201, carl=201, petra=201, eve=400, anonymous=401),
        lambda w: {"case": w.youth.pk, **_action_body(w)},
    ),
    Row(
        "action detail",
        "get",
        lambda w: f"/api/v1/actions/{w.actions.picture.pk}/",
        youth_read(),
    ),
    Row(
        "action patch (led by police)",
        "patch",
        lambda w: f"/api/v1/actions/{w.actions.picture.pk}/",
        expect(403, anna=200, carl=200, petra=200, eve=404, anonymous=401),
        lambda w: {"description": "Underlag från polis och socialtjänst."},
    ),
    Row(
        "action put (led by police)",
        "put",
        lambda w: f"/api/v1/actions/{w.actions.picture.pk}/",
        expect(403, anna=200, carl=200, petra=200, eve=404, anonymous=401),
        _action_body,
    ),
    Row(
        "action patch (Södertälje leads, police contributes)",
        "patch",
        lambda w: f"/api/v1/actions/{w.actions.talks.pk}/",
        expect(200, petra=403, olle=403, eve=404, anonymous=401),
        lambda w: {"description": "Tre skolor först."},
    ),
    Row(
        "action progress (Södertälje leads, police contributes)",
        "patch",
        lambda w: f"/api/v1/actions/{w.actions.talks.pk}/",
        expect(200, olle=403, eve=404, anonymous=401),
        lambda w: {"status": "in_progress"},
    ),
    Row(
        "action updates",
        "get",
        lambda w: f"/api/v1/actions/{w.actions.picture.pk}/updates/",
        youth_read(),
    ),
    Row(
        "post an action update",
        "post",
        lambda w: f"/api/v1/actions/{w.actions.picture.pk}/updates/",
        expect(403, anna=201, carl=201, petra=201, eve=404, anonymous=401),
        lambda w: {"text": "Första lägesbilden klar.", "status": "done"},
    ),
    Row("outcome list", "get", lambda w: "/api/v1/outcomes/", expect(200)),
    Row(
        "outcome create",
        "post",
        lambda w: "/api/v1/outcomes/",
        expect(403, anna=201, carl=201, eve=400, anonymous=401),
        lambda w: {
            "case": w.youth.pk,
            "title": "Färre skolavhopp",
            "indicator": "Avhopp per termin",
            "unit": "elever",
            "direction": "decrease",
            "baseline_value": "40.00",
            "baseline_date": _today(-30),
            "target_value": "20.00",
            "target_date": _today(365),
        },
    ),
    Row("outcome detail", "get", lambda w: f"/api/v1/outcomes/{w.suspects.pk}/", youth_read()),
    Row(
        "outcome patch",
        "patch",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/",
        youth_manage(),
        lambda w: {"data_source": "Polisens ärendesystem (RAR)"},
    ),
    Row(
        "someone else's outcome",
        "get",
        lambda w: f"/api/v1/outcomes/{w.care_outcome.pk}/",
        expect(404, anna=200),
    ),
    Row(
        "measurements",
        "get",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/measurements/",
        youth_read(),
    ),
    Row(
        "report a measurement (for the police)",
        "post",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/measurements/",
        expect(403, anna=201, carl=201, petra=201, eve=404, anonymous=401),
        lambda w: {"organisation": w.orgs.police.pk, "value": "43.00", "measured_on": _today()},
    ),
    Row("OpenAPI schema", "get", lambda w: "/api/schema/", expect(200)),
    Row("API docs", "get", lambda w: "/api/docs/", expect(200)),
    *former_participation_rows("declined"),
    *former_participation_rows("withdrawn"),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    """The demo plus what the rows point at: an open invitation, a token, outcomes."""
    demo.anna_token, _secret = api_token_create(user=demo.anna, name="anna's integration")
    demo.invitation = services.participation_invite(
        actor=demo.anna, case=demo.care, organisation=demo.orgs.police, role="contributor"
    )
    demo.police_in_youth = demo.youth.participations.get(organisation=demo.orgs.police)
    demo.fryshuset_in_youth = demo.youth.participations.get(organisation=demo.orgs.fryshuset)
    demo.suspects = Outcome.objects.get(case=demo.youth, title__startswith="Färre unga")
    demo.care_outcome = Outcome.objects.filter(case=demo.care).first()
    demo.declined, demo.declined_in_youth = former_participant(demo, withdrew=False)
    demo.withdrawn, demo.withdrawn_in_youth = former_participant(demo, withdrew=True)
    return demo


def row_response(api, world, row: Row, persona: str, body_format: str = "json"):  # type: ignore[no-untyped-def]
    """Send the row's request as the persona; a refused write must leave every table as it was.
    Every persona-matrix file (one per app) sends its rows through here."""
    client = api(None if persona == "anonymous" else getattr(world, persona))
    send = getattr(client, row.method)
    kwargs = {"format": body_format} if row.method != "get" else {}
    if row.method != "get" and row.expected[persona] >= 300:
        with nothing_written():
            return send(row.url(world), row.body(world), **kwargs)
    return send(row.url(world), row.body(world) or None, **kwargs)


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    response = row_response(api, world, row, persona)
    assert response.status_code == row.expected[persona], response.content[:500]
