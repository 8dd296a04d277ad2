"""The trust self-assessment's API: bad answers are 400s naming the field, nothing written;
restricted cases are 404; the caller's own organisation's answers come back, nobody else's."""

from __future__ import annotations

import pytest

from tests.helpers import nothing_written
from tests.privacy.numbers import PERSONNUMMER
from trust import services
from trust.choices import Principle
from trust.models import TrustRound

pytestmark = pytest.mark.django_db


def _body(score: int = 4, comment: str = "", skip: str = "") -> dict:
    return {
        "answers": [
            {"principle": principle, "score": score, "comment": comment}
            for principle in Principle.values
            if principle != skip
        ]
    }


def _url(demo) -> str:
    return f"/api/v1/cases/{demo.youth.reference}/trust/answers/"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(score=6), "answers"),
        (_body(score=0), "answers"),
        (_body(skip="openness"), "answers"),
        (_body(comment=f"Gäller {PERSONNUMMER}"), "answers"),
        (_body(comment="x" * 1001), "answers"),
        ({**_body(), "organisation": "polisen"}, "organisation"),
        ({"answers": "4"}, "answers"),
    ],
)
def test_a_bad_answer_is_a_400_naming_its_field_and_writes_nothing(demo, api, body, field):
    with nothing_written():
        response = api(demo.petra).post(_url(demo), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert PERSONNUMMER not in response.content.decode()


def test_answering_for_an_organisation_not_asked_is_a_400(demo, api) -> None:
    body = {**_body(), "organisation": demo.orgs.sodertalje.pk}
    with nothing_written():
        response = api(demo.petra).post(_url(demo), body, format="json")
    assert response.status_code == 400 and "organisation" in response.json()


def test_an_outsider_finds_no_restricted_case(demo, api) -> None:
    assert api(demo.eve).post(_url(demo), _body(), format="json").status_code == 404
    rounds = f"/api/v1/cases/{demo.youth.reference}/trust/rounds/"
    assert api(demo.eve).get(rounds).status_code == 404


def test_the_answer_comes_back_as_the_callers_own_and_only_theirs(demo, api) -> None:
    response = api(demo.petra).post(
        _url(demo), _body(score=2, comment="Vi saknar stöd."), format="json"
    )
    assert response.status_code == 200, response.content
    own = response.json()["own_answers"]
    assert [answers["organisation"] for answers in own] == [demo.orgs.police.pk]
    assert {a["score"] for a in own[0]["answers"]} == {2}
    assert response.json()["averages"] == []  # the round is open: no average yet
    sara = api(demo.sara).get(f"/api/v1/cases/{demo.youth.reference}/trust/rounds/").json()
    assert "Vi saknar stöd." not in str(sara)


def test_a_case_without_an_open_round_takes_no_answer(demo, api) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    services.trust_round_close(trust_round=open_round, now=open_round.deadline)
    response = api(demo.petra).post(_url(demo), _body(), format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
