"""Who gets what from the measurement endpoints, one row per endpoint and method.

The same personas and conventions as test_persona_matrix.py (kept apart so the two tables can
change independently): a refused write (status >= 300) must leave nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from cases import services
from cases.choices import ReviewState
from cases.models import Measurement, Outcome
from tests.api.test_query_counts import Scenario, _measure, _outcome, _same_queries
from tests.helpers import nothing_written

PERSONAS = ["anna", "carl", "sara", "petra", "olle", "eve", "anonymous"]


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def youth_read() -> dict[str, int]:
    return expect(200, eve=404, anonymous=404)


def youth_review(ok: int = 200) -> dict[str, int]:
    """Approve and return: the committee and the coordinator; other viewers get 403."""
    return expect(403, anna=ok, carl=ok, eve=404, anonymous=401)


def police_value(ok: int = 200) -> dict[str, int]:
    """Correct or withdraw the police's submitted value: the managers and the police."""
    return expect(403, anna=ok, carl=ok, petra=ok, eve=404, anonymous=401)


@dataclass
class Row:
    name: str
    method: str
    url: Callable[[SimpleNamespace], str]
    expected: dict[str, int]
    body: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda w: {})


def _one(w: SimpleNamespace, suffix: str = "") -> str:
    return f"/api/v1/measurements/{w.submitted.pk}/{suffix}"


ROWS = [
    Row("measurement detail", "get", lambda w: _one(w), youth_read()),
    Row(
        "someone else's measurement",
        "get",
        lambda w: f"/api/v1/measurements/{w.care_value.pk}/",
        expect(404, anna=200),
    ),
    Row(
        "correct a value",
        "patch",
        lambda w: _one(w),
        police_value(),
        lambda w: {"value": "42", "reason": "Fel rad i underlaget"},
    ),
    Row(
        "correct without a reason",
        "patch",
        lambda w: _one(w),
        police_value(400),
        lambda w: {"value": "42"},
    ),
    Row(
        "correct to a negative count",
        "patch",
        lambda w: _one(w),
        police_value(400),
        lambda w: {"value": "-5", "reason": "x"},
    ),
    Row(
        "withdraw",
        "post",
        lambda w: _one(w, "withdraw/"),
        police_value(),
        lambda w: {"reason": "Fel"},
    ),
    Row("withdraw without a reason", "post", lambda w: _one(w, "withdraw/"), police_value(400)),
    Row("approve", "post", lambda w: _one(w, "approve/"), youth_review()),
    Row(
        "return",
        "post",
        lambda w: _one(w, "return/"),
        youth_review(),
        lambda w: {"comment": "Kontrollera urvalet."},
    ),
    Row("return without a comment", "post", lambda w: _one(w, "return/"), youth_review(400)),
    Row(
        "values waiting for review",
        "get",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/measurements/?review_state=submitted",
        youth_read(),
    ),
    Row(
        "values in an unknown review state",
        "get",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/measurements/?review_state=maybe",
        expect(400, eve=404, anonymous=404),
    ),
    Row(
        "archive an outcome",
        "post",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/archive/",
        youth_review(),
        lambda w: {"reason": "Ersatt av ett bättre mått"},
    ),
    Row(
        "archive an outcome without a reason",
        "post",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/archive/",
        youth_review(400),
    ),
    Row(
        "remove an outcome with approved values",
        "post",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/remove/",
        youth_review(400),
        lambda w: {"reason": "Fel mått"},
    ),
    Row(
        "remove an outcome set by mistake",
        "post",
        lambda w: f"/api/v1/outcomes/{w.mistake.pk}/remove/",
        youth_review(204),
        lambda w: {"reason": "Dubblett"},
    ),
    Row(
        "report a negative count",
        "post",
        lambda w: f"/api/v1/outcomes/{w.suspects.pk}/measurements/",
        expect(403, anna=400, carl=400, petra=400, eve=404, anonymous=401),
        lambda w: {
            "organisation": w.orgs.police.pk,
            "value": "-5",
            "measured_on": timezone.localdate().isoformat(),
        },
    ),
]


@pytest.fixture
def world(demo: SimpleNamespace) -> SimpleNamespace:
    """The demo plus a value the police submitted today, and a value of the care case."""
    demo.suspects = Outcome.objects.get(case=demo.youth, direction="decrease")
    demo.submitted = services.measurement_report(
        actor=demo.petra,
        outcome=demo.suspects,
        organisation=demo.orgs.police,
        value=Decimal(43),
        measured_on=timezone.localdate(),
    )
    demo.care_value = Measurement.objects.filter(outcome__case=demo.care).first()
    demo.mistake = services.outcome_create(
        actor=demo.carl,
        case=demo.youth,
        title="Dubblett av målet",
        indicator="Antal",
        unit="personer",
        direction="decrease",
        baseline_value=Decimal(10),
        baseline_date=timezone.localdate() - timedelta(days=30),
        target_value=Decimal(5),
        target_date=timezone.localdate() + timedelta(days=300),
    )
    return demo


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_persona_gets_the_status_the_rules_say(world, api, row: Row, persona: str) -> None:
    client = api(None if persona == "anonymous" else getattr(world, persona))
    expected = row.expected[persona]
    send = getattr(client, row.method)
    kwargs = {"format": "json"} if row.method != "get" else {}
    if row.method != "get" and expected >= 300:
        with nothing_written():
            response = send(row.url(world), row.body(world), **kwargs)
    else:
        response = send(row.url(world), row.body(world) or None, **kwargs)
    assert response.status_code == expected, response.content[:500]


# The review story over the API.


def test_a_measurement_carries_its_review_state_and_an_etag(world, api) -> None:
    response = api(world.carl).get(_one(world))
    assert response.json()["review_state"] == ReviewState.SUBMITTED
    assert response["ETag"] == f'"{world.submitted.version}"'


def test_a_stale_if_match_is_refused_and_nothing_changes(world, api) -> None:
    client = api(world.petra)
    with nothing_written():
        response = client.patch(
            _one(world),
            {"value": "41", "reason": "x"},
            format="json",
            HTTP_IF_MATCH=f'"{world.submitted.version + 1}"',
        )
    assert response.status_code == 412
    current = client.patch(
        _one(world),
        {"value": "41", "reason": "Rättat"},
        format="json",
        HTTP_IF_MATCH=f'"{world.submitted.version}"',
    )
    assert current.status_code == 200
    assert current.json()["value"] == "41.00"


def test_approving_twice_is_a_conflict(world, api) -> None:
    client = api(world.carl)
    assert client.post(_one(world, "approve/")).status_code == 200
    with nothing_written():
        assert client.post(_one(world, "approve/")).status_code == 409


def test_only_approved_values_move_the_outcomes_progress(world, api) -> None:
    client = api(world.carl)
    url = f"/api/v1/outcomes/{world.suspects.pk}/"
    before = client.get(url).json()["progress"]["latest_value"]
    assert before != "43.00"
    client.post(_one(world, "approve/"))
    assert client.get(url).json()["progress"]["latest_value"] == "43.00"


def test_the_review_state_filter_lists_only_that_state(world, api) -> None:
    url = f"/api/v1/outcomes/{world.suspects.pk}/measurements/?review_state=returned"
    rows = api(world.carl).get(url).json()["results"]
    assert [row["review_state"] for row in rows] == ["returned"]
    assert rows[0]["review_comment"]


# Queries: the same for 1 and 50 values, in every review state and filtered by one.


def _report_and_review(w: SimpleNamespace, outcome: Outcome, start: int, stop: int) -> None:
    """Values in all four review states, so each state's columns are read."""
    for i in range(start, stop):
        measurement = services.measurement_report(
            actor=w.petra,
            outcome=outcome,
            organisation=w.orgs.police,
            value=Decimal(i),
            measured_on=timezone.localdate() - timedelta(days=i),
        )
        if i % 4 == 1:
            services.measurement_approve(actor=w.carl, measurement=measurement)
        elif i % 4 == 2:
            services.measurement_return(actor=w.carl, measurement=measurement, comment="Kolla")
        elif i % 4 == 3:
            services.measurement_withdraw(actor=w.petra, measurement=measurement, reason="Fel")


REVIEW_LISTS = [
    Scenario(
        "measurements in every review state",
        "carl",
        lambda w: setattr(w, "target", _outcome(w)),
        lambda w, a, b: _report_and_review(w, w.target, a, b),
        lambda w: f"/api/v1/outcomes/{w.target.pk}/measurements/?page_size=50",
    ),
    Scenario(
        "measurements waiting for review",
        "carl",
        lambda w: setattr(w, "target", _outcome(w)),
        lambda w, a, b: _measure(w, w.target, a, b),
        lambda w: (
            f"/api/v1/outcomes/{w.target.pk}/measurements/?review_state=submitted&page_size=50"
        ),
    ),
]


@pytest.mark.parametrize("scenario", REVIEW_LISTS, ids=[s.name for s in REVIEW_LISTS])
def test_measurement_lists_cost_the_same_queries_for_1_and_50_values(
    demo, django_assert_num_queries, scenario: Scenario
) -> None:
    body = _same_queries(demo, django_assert_num_queries, scenario, 50)
    assert len(body["results"]) == 50
