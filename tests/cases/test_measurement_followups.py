"""Figures stay right when the goal itself changes, and nobody is left waiting on a value
that no one can act on (after review)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases import selectors, services
from cases.choices import ReviewState
from cases.models import Outcome
from notifications.models import Event
from tests.helpers import nothing_written

TODAY = dt.date.today()


@pytest.fixture
def suspects(demo) -> Outcome:
    """Young suspects per month, 60 → 40 (a decrease); the police report it."""
    return demo.youth.outcomes.get(direction="decrease")


def _events(kind: str, outcome: Outcome) -> int:
    return Event.objects.filter(kind=kind, object_id=outcome.pk, object_type="outcome").count()


def _approved_value(demo, outcome: Outcome, value: int) -> None:
    services.measurement_report(
        actor=demo.carl,
        outcome=outcome,
        organisation=demo.orgs.police,
        value=Decimal(value),
        measured_on=TODAY,
    )


def test_moving_the_target_past_the_latest_value_announces_the_change(demo, suspects) -> None:
    _approved_value(demo, suspects, 39)  # below 40: reached
    assert _events("outcome.target_reached", suspects) == 1
    services.outcome_update(actor=demo.carl, outcome=suspects, data={"target_value": Decimal(30)})
    assert _events("outcome.target_lost", suspects) == 1
    suspects.refresh_from_db()
    assert suspects.target_reached is False


def test_lowering_the_bar_below_the_latest_value_announces_the_target_reached(
    demo, suspects
) -> None:
    _approved_value(demo, suspects, 45)
    assert _events("outcome.target_reached", suspects) == 0
    services.outcome_update(actor=demo.carl, outcome=suspects, data={"target_value": Decimal(46)})
    assert _events("outcome.target_reached", suspects) == 1


def test_an_edit_of_the_title_leaves_the_verdict_alone(demo, suspects) -> None:
    _approved_value(demo, suspects, 45)
    before = Event.objects.count()
    services.outcome_update(actor=demo.carl, outcome=suspects, data={"title": "Misstänkta unga"})
    assert Event.objects.count() == before


def test_archiving_and_removing_an_outcome_are_announced_with_the_reason(demo, suspects) -> None:
    services.outcome_archive(actor=demo.carl, outcome=suspects, reason="Ersatt av nytt mått")
    archived = Event.objects.get(kind="outcome.archived", object_id=suspects.pk)
    assert archived.payload["reason"] == "Ersatt av nytt mått"
    mistake = services.outcome_create(
        actor=demo.carl,
        case=demo.youth,
        title="Dubblett",
        indicator="Antal",
        unit="st",
        value_kind="count",
        direction="increase",
        baseline_value=Decimal(1),
        baseline_date=TODAY - dt.timedelta(days=10),
        target_value=Decimal(5),
        target_date=TODAY + dt.timedelta(days=100),
    )
    pk = mistake.pk
    services.outcome_remove(actor=demo.carl, outcome=mistake, reason="Dubblett")
    removed = Event.objects.get(kind="outcome.removed", object_id=pk)
    assert removed.payload["outcome_title"] == "Dubblett"


def test_the_review_queue_leaves_out_values_nobody_can_act_on(demo, suspects) -> None:
    submitted = services.measurement_report(
        actor=demo.petra,
        outcome=suspects,
        organisation=demo.orgs.police,
        value=Decimal(43),
        measured_on=TODAY,
    )
    assert submitted in selectors.measurements_pending_review(demo.carl)
    services.outcome_archive(actor=demo.carl, outcome=suspects, reason="Ersatt")
    assert submitted not in selectors.measurements_pending_review(demo.carl)
    with nothing_written(), pytest.raises(ValidationError):
        services.measurement_approve(actor=demo.carl, measurement=submitted)
    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.SUBMITTED


def test_a_closed_case_leaves_the_review_queue(demo) -> None:
    pending = selectors.measurements_pending_review(demo.anna)
    cases_before = set(pending.values_list("outcome__case_id", flat=True))
    assert demo.youth.pk in cases_before
    demo.youth.status = "closed"
    demo.youth.save(update_fields=["status"])
    cases_after = set(
        selectors.measurements_pending_review(demo.anna).values_list("outcome__case_id", flat=True)
    )
    assert demo.youth.pk not in cases_after
