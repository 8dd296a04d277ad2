"""Lessons learned in the API, persona by persona: the library follows each case's access rules
(anonymous readers see public cases' lessons); a lesson is recorded on an evaluated or closed case
by the committee, its coordinator and the organisations that worked on it (an observer is
refused), never on an active one."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cases import services as case_services
from cases.choices import CaseStatus
from cases.models import Case
from lessons import services
from tests.api.test_persona_matrix import PERSONAS, Row, expect, row_response, youth_read
from tests.former_participants import former_participant


def _lesson_body(w: SimpleNamespace) -> dict:
    return {"way_of_working": "Nattvandring med föräldrar", "what_worked": "Fler vuxna ute."}


ROWS = [
    Row("lesson list", "get", lambda w: "/api/v1/lessons/", expect(200)),
    Row("lesson search", "get", lambda w: "/api/v1/lessons/?q=samverkan", expect(200)),
    Row("public lesson", "get", lambda w: f"/api/v1/lessons/{w.public_lesson.pk}/", expect(200)),
    Row(
        "restricted lesson of a case only the committee sees",
        "get",
        lambda w: f"/api/v1/lessons/{w.malmo_lesson.pk}/",
        expect(404, anna=200),
    ),
    Row(
        "public lesson edit (anna recorded it and coordinates the case)",
        "patch",
        lambda w: f"/api/v1/lessons/{w.public_lesson.pk}/",
        expect(403, anna=200, anonymous=401),
        lambda w: {"what_did_not": "Lokalerna räckte inte till."},
    ),
    Row(
        "restricted lesson edit",
        "patch",
        lambda w: f"/api/v1/lessons/{w.malmo_lesson.pk}/",
        expect(404, anna=200, anonymous=401),
        lambda w: {"what_did_not": "Det tog tid."},
    ),
    Row("youth lessons", "get", lambda w: f"/api/v1/cases/{w.youth.pk}/lessons/", youth_read()),
    Row(
        "lesson record on the evaluated youth case",
        "post",
        lambda w: f"/api/v1/cases/{w.youth.pk}/lessons/",
        # Fryshuset only observes: it did not work on the case.
        expect(201, olle=403, eve=404, anonymous=401),
        _lesson_body,
    ),
    Row(
        "lesson record on the active school case",
        "post",
        lambda w: f"/api/v1/cases/{w.school.pk}/lessons/",
        expect(404, anna=400, carl=400, anonymous=401),
        _lesson_body,
    ),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    for case in (demo.youth, demo.public):
        case_services.case_transition(
            actor=demo.anna, case=case, to_status=CaseStatus.EVALUATING, reason="Utvärdera."
        )
    demo.youth = Case.objects.get(pk=demo.youth.pk)
    demo.public_lesson = services.lesson_record(
        actor=demo.anna,
        case=Case.objects.get(pk=demo.public.pk),
        way_of_working="Mötesplatser i socknarna",
        what_worked="Regionen och civilsamhället samverkade om lokalerna.",
    )
    demo.malmo_lesson = Case.objects.get(title="Trygga unga i Malmö").lessons.first()
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
