"""Lessons learned in the API: the library's filters and search, recording with field errors."""

from __future__ import annotations

import pytest

from cases import services as case_services
from cases.choices import CaseStatus
from lessons.models import Lesson
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _evaluate(demo) -> None:
    case_services.case_transition(
        actor=demo.anna, case=demo.youth, to_status=CaseStatus.EVALUATING, reason="Utvärdera."
    )


def test_the_library_filters_by_theme_sector_mix_and_words(demo, api) -> None:
    client = api(demo.anna)
    body = client.get("/api/v1/lessons/", {"theme": "youth-crime"}).json()
    assert body["count"] == 3
    assert {row["sector_mix"] for row in body["results"]} == {"municipality+region"}
    assert body["results"][0]["sector_mix_label"] == "Municipality, region"
    assert client.get("/api/v1/lessons/", {"theme": "housing"}).json()["count"] == 0
    assert client.get("/api/v1/lessons/", {"sector_mix": "region"}).json()["count"] == 0
    found = client.get("/api/v1/lessons/", {"q": "fältassistenter"}).json()["results"]
    assert [row["way_of_working"] for row in found] == ["Fältassistenter kvällstid"]


def test_anonymous_readers_get_no_restricted_lesson(demo, api) -> None:
    assert api(None).get("/api/v1/lessons/").json()["count"] == 0


def test_recording_answers_the_lesson_with_its_tags(demo, api) -> None:
    _evaluate(demo)
    response = api(demo.petra).post(
        f"/api/v1/cases/{demo.youth.pk}/lessons/",
        {"way_of_working": "Gemensam lägesbild", "what_did_not": "Uppgifterna kom sent."},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["theme"] == "youth-crime" and body["case_reference"] == demo.youth.reference
    assert body["sector_mix"] == "municipality+region+state_agency"
    assert Lesson.objects.filter(pk=body["id"], organisation=demo.orgs.police).exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"way_of_working": "Samråd"}, {"what_worked", "what_did_not"}),
        ({"what_worked": "Bra."}, {"way_of_working"}),
        ({"way_of_working": "x" * 201, "what_worked": "Bra."}, {"way_of_working"}),
        ({"way_of_working": 5, "what_worked": "Bra."}, {"way_of_working"}),
    ],
)
def test_bad_input_is_a_400_naming_the_field(demo, api, body, fields) -> None:
    _evaluate(demo)
    with nothing_written():
        response = api(demo.carl).post(
            f"/api/v1/cases/{demo.youth.pk}/lessons/", body, format="json"
        )
    assert response.status_code == 400
    assert fields <= set(response.json())


def test_an_active_case_is_a_400_saying_why(demo, api) -> None:
    response = api(demo.carl).post(
        f"/api/v1/cases/{demo.youth.pk}/lessons/",
        {"way_of_working": "Samråd", "what_worked": "Bra."},
        format="json",
    )
    assert response.status_code == 400 and "case" in response.json()


def test_an_edit_through_the_api_keeps_the_old_text_in_history(demo, api) -> None:
    _evaluate(demo)
    created = api(demo.petra).post(
        f"/api/v1/cases/{demo.youth.pk}/lessons/",
        {"way_of_working": "Gemensam lägesbild", "what_worked": "Snabbare beslut."},
        format="json",
    )
    url = f"/api/v1/lessons/{created.json()['id']}/"
    response = api(demo.petra).patch(url, {"what_worked": "Beslut samma vecka."}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["what_worked"] == "Beslut samma vecka." and body["way_of_working"]
    lesson = Lesson.objects.get(pk=body["id"])
    assert [row.what_worked for row in lesson.history.order_by("history_date")] == [
        "Snabbare beslut.",
        "Beslut samma vecka.",
    ]
    with nothing_written():
        emptied = api(demo.petra).patch(url, {"what_worked": ""}, format="json")
    assert emptied.status_code == 400 and "what_worked" in emptied.json()
    assert api(demo.sara).patch(url, {"what_worked": "x"}, format="json").status_code == 403
