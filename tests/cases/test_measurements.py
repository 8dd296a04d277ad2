"""Figures people can trust: sanity at entry, review, correction, withdrawal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import selectors, services
from cases.choices import ReviewState
from cases.history import case_timeline
from cases.models import Measurement, Outcome
from cases.services import StaleVersion, TransitionNotAllowed
from notifications.models import Event
from tests.helpers import nothing_written

TODAY = dt.date.today()


@pytest.fixture
def suspects(demo) -> Outcome:
    """Young suspects per month (a count, 0–500 plausible), 60 → 40; the police report it."""
    return demo.youth.outcomes.get(direction="decrease")


@pytest.fixture
def occupied(demo) -> Outcome:
    """Share of young people in studies or work (a percent), 82 → 90; Södertälje reports it."""
    return demo.youth.outcomes.get(direction="increase")


def _report(demo, outcome, value, *, actor=None, org=None, day=TODAY) -> Measurement:
    return services.measurement_report(
        actor=actor or demo.petra,
        outcome=outcome,
        organisation=org or demo.orgs.police,
        value=Decimal(value),
        measured_on=day,
    )


def _progress(outcome: Outcome) -> dict:
    return selectors.outcome_progress(selectors.outcome_queryset().get(pk=outcome.pk))


# Sanity at entry: each refusal says why by the field and writes nothing.

REFUSALS = [
    ("a date in the future", "suspects", "50", TODAY + dt.timedelta(days=1), "measured_on"),
    ("a date before the baseline", "suspects", "50", dt.date(2000, 1, 1), "measured_on"),
    ("a negative count", "suspects", "-5", TODAY, "value"),
    ("a count with decimals", "suspects", "50.5", TODAY, "value"),
    ("a count above the plausible maximum", "suspects", "501", TODAY, "value"),
    ("a percentage over 100", "occupied", "101", TODAY, "value"),
]


@pytest.mark.parametrize(("what", "outcome_name", "value", "day", "field"), REFUSALS)
def test_implausible_values_are_refused_by_the_field_and_nothing_is_written(
    demo, request, what, outcome_name, value, day, field
) -> None:
    outcome = request.getfixturevalue(outcome_name)
    org = demo.orgs.police if outcome_name == "suspects" else demo.orgs.sodertalje
    actor = demo.petra if outcome_name == "suspects" else demo.sara
    with nothing_written(), pytest.raises(ValidationError) as error:
        _report(demo, outcome, value, actor=actor, org=org, day=day)
    assert list(error.value.message_dict) == [field], what


def test_a_second_value_for_the_same_date_points_to_correcting_the_first(demo, suspects) -> None:
    first = _report(demo, suspects, 43)
    with nothing_written(), pytest.raises(ValidationError) as error:
        _report(demo, suspects, 42)
    message = error.value.message_dict["measured_on"][0]
    assert f"measurement {first.pk}" in message
    assert "Correct that value" in message


def test_another_organisation_may_report_for_the_same_date(demo, suspects) -> None:
    _report(demo, suspects, 43)
    other = _report(demo, suspects, 41, actor=demo.sara, org=demo.orgs.sodertalje)
    assert other.pk


def test_refusals_are_in_swedish_for_a_swedish_reader(demo, suspects) -> None:
    from django.utils import translation

    with translation.override("sv"), pytest.raises(ValidationError) as error:
        _report(demo, suspects, -5)
    assert error.value.message_dict["value"] == ["Ett antal är ett heltal, 0 eller mer."]


# Review: a partner's value counts once the coordinator approved it.


def test_a_partners_value_waits_for_review_and_does_not_move_the_figures(demo, suspects) -> None:
    before = _progress(suspects)
    measurement = _report(demo, suspects, 30)
    assert measurement.review_state == ReviewState.SUBMITTED
    assert _progress(suspects) == before
    assert not Event.objects.filter(kind="outcome.target_reached", object_id=suspects.pk).exists()


def test_a_case_managers_value_is_approved_on_entry(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43, actor=demo.carl)
    assert measurement.review_state == ReviewState.APPROVED
    assert _progress(suspects)["latest_value"] == Decimal(43)


def test_approving_makes_the_value_count(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    services.measurement_approve(actor=demo.carl, measurement=measurement)
    measurement.refresh_from_db()
    assert measurement.review_state == ReviewState.APPROVED
    assert measurement.reviewed_by == demo.carl
    assert _progress(suspects)["latest_value"] == Decimal(43)


@pytest.mark.parametrize("persona", ["petra", "sara", "olle", "eve"])
def test_only_the_committee_and_the_coordinator_review(demo, suspects, persona) -> None:
    measurement = _report(demo, suspects, 43)
    with nothing_written(), pytest.raises(PermissionDenied):
        services.measurement_approve(actor=getattr(demo, persona), measurement=measurement)
    with nothing_written(), pytest.raises(PermissionDenied):
        services.measurement_return(
            actor=getattr(demo, persona), measurement=measurement, comment="Nej"
        )
    measurement.refresh_from_db()
    assert measurement.review_state == ReviewState.SUBMITTED


def test_returning_without_a_comment_is_refused_and_nothing_is_written(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.measurement_return(actor=demo.carl, measurement=measurement, comment="  ")
    assert "comment" in error.value.message_dict
    measurement.refresh_from_db()
    assert measurement.review_state == ReviewState.SUBMITTED


def test_only_a_submitted_value_can_be_approved(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43, actor=demo.carl)
    with nothing_written(), pytest.raises(TransitionNotAllowed):
        services.measurement_approve(actor=demo.anna, measurement=measurement)


def test_the_reporter_corrects_a_returned_value_and_it_goes_back_to_review(demo, suspects) -> None:
    measurement = _report(demo, suspects, 88)
    services.measurement_return(actor=demo.carl, measurement=measurement, comment="För högt?")
    services.measurement_correct(
        actor=demo.petra, measurement=measurement, data={"value": Decimal(43)}, reason="Fel rad"
    )
    measurement.refresh_from_db()
    assert (measurement.value, measurement.review_state) == (Decimal(43), ReviewState.SUBMITTED)


def test_a_correction_without_a_reason_is_refused_and_nothing_is_written(demo, suspects) -> None:
    measurement = _report(demo, suspects, 88)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.measurement_correct(
            actor=demo.petra, measurement=measurement, data={"value": Decimal(43)}, reason=""
        )
    assert "reason" in error.value.message_dict
    measurement.refresh_from_db()
    assert measurement.value == Decimal(88)


def test_a_correction_obeys_the_same_sanity_rules(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.measurement_correct(
            actor=demo.petra, measurement=measurement, data={"value": Decimal(-1)}, reason="x"
        )
    assert "value" in error.value.message_dict


def test_a_stale_correction_is_refused(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    with nothing_written(), pytest.raises(StaleVersion):
        services.measurement_correct(
            actor=demo.carl,
            measurement=measurement,
            data={"value": Decimal(42)},
            reason="x",
            expected_version=measurement.version + 1,
        )


def test_an_approved_value_corrected_by_its_reporter_goes_back_to_review(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    services.measurement_approve(actor=demo.carl, measurement=measurement)
    services.measurement_correct(
        actor=demo.petra, measurement=measurement, data={"value": Decimal(44)}, reason="Efterregg"
    )
    measurement.refresh_from_db()
    assert measurement.review_state == ReviewState.SUBMITTED
    assert _progress(suspects)["latest_value"] != Decimal(44)


def test_a_correction_keeps_the_old_value_with_who_and_why(demo, suspects) -> None:
    measurement = _report(demo, suspects, 88, actor=demo.carl)
    services.measurement_correct(
        actor=demo.carl, measurement=measurement, data={"value": Decimal(86)}, reason="Dubbelräknat"
    )
    entry = next(
        e
        for e in case_timeline(demo.youth)
        if e.object_id == measurement.pk and e.object_type == "measurement"
    )
    change = next(c for c in entry.changes if c.field == "value")
    assert (change.old, change.new) == (Decimal(88), Decimal(86))
    assert (entry.who, entry.reason) == (demo.carl, "Dubbelräknat")


def test_others_may_not_correct_a_value(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    for persona in (demo.sara, demo.olle):
        with nothing_written(), pytest.raises(PermissionDenied):
            services.measurement_correct(
                actor=persona, measurement=measurement, data={"value": Decimal(1)}, reason="x"
            )


def test_the_reporter_withdraws_until_approved_then_only_a_manager(demo, suspects) -> None:
    pending = _report(demo, suspects, 43)
    services.measurement_withdraw(actor=demo.petra, measurement=pending, reason="Fel utfall")
    pending.refresh_from_db()
    assert pending.review_state == ReviewState.WITHDRAWN
    approved = _report(demo, suspects, 42)  # the withdrawn value freed its date
    services.measurement_approve(actor=demo.carl, measurement=approved)
    with nothing_written(), pytest.raises(PermissionDenied):
        services.measurement_withdraw(actor=demo.petra, measurement=approved, reason="x")
    services.measurement_withdraw(actor=demo.carl, measurement=approved, reason="Fel källa")
    assert _progress(suspects)["latest_value"] != Decimal(42)


def test_withdrawing_without_a_reason_is_refused(demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.measurement_withdraw(actor=demo.petra, measurement=measurement, reason="")
    assert "reason" in error.value.message_dict


# "Target reached": once per outcome, and "no longer reached" after a fall.


def _events(kind: str, outcome: Outcome) -> int:
    return Event.objects.filter(kind=kind, object_id=outcome.pk, object_type="outcome").count()


def test_target_reached_is_announced_once_and_a_fall_is_announced_too(demo, suspects) -> None:
    days = [TODAY - dt.timedelta(days=n) for n in (4, 3, 2, 1)]
    first = _report(demo, suspects, 39, actor=demo.carl, day=days[0])
    assert _events("outcome.target_reached", suspects) == 1
    _report(demo, suspects, 41, actor=demo.carl, day=days[1])  # above the target again
    assert _events("outcome.target_lost", suspects) == 1
    _report(demo, suspects, 38, actor=demo.carl, day=days[2])  # crosses a second time
    latest = _report(demo, suspects, 37, actor=demo.carl, day=days[3])
    assert _events("outcome.target_reached", suspects) == 1
    services.measurement_correct(
        actor=demo.carl, measurement=latest, data={"value": Decimal(45)}, reason="Fel månad"
    )
    assert _events("outcome.target_lost", suspects) == 2
    assert first.pk


def test_a_submitted_value_below_target_reaches_nothing_until_approved(demo, suspects) -> None:
    measurement = _report(demo, suspects, 39)
    assert _events("outcome.target_reached", suspects) == 0
    services.measurement_approve(actor=demo.carl, measurement=measurement)
    assert _events("outcome.target_reached", suspects) == 1


# Outcomes: edited, removed while nothing counted, archived otherwise.


def test_an_outcome_with_approved_values_is_archived_not_removed(demo, suspects) -> None:
    with nothing_written(), pytest.raises(ValidationError):
        services.outcome_remove(actor=demo.carl, outcome=suspects, reason="Fel mål")
    services.outcome_archive(actor=demo.carl, outcome=suspects, reason="Ersatt av nytt mål")
    suspects.refresh_from_db()
    assert suspects.archived_at is not None
    assert suspects not in selectors.case_outcomes(demo.youth)
    with pytest.raises(ValidationError):
        _report(demo, suspects, 43)


def test_an_outcome_without_approved_values_is_removed_with_history(demo) -> None:
    outcome = services.outcome_create(
        actor=demo.carl,
        case=demo.youth,
        title="Fel mål",
        indicator="Antal",
        unit="st",
        value_kind="count",
        direction="increase",
        baseline_value=Decimal(1),
        baseline_date=TODAY - dt.timedelta(days=10),
        target_value=Decimal(5),
        target_date=TODAY,
    )
    _report(demo, outcome, 2)
    services.outcome_remove(actor=demo.carl, outcome=outcome, reason="Lades till av misstag")
    assert not Outcome.objects.filter(pk=outcome.pk).exists()
    deleted = Outcome.history.filter(id=outcome.pk, history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (
        demo.carl,
        "Lades till av misstag",
    )


def test_partners_may_not_remove_or_archive_outcomes(demo, suspects) -> None:
    with nothing_written(), pytest.raises(PermissionDenied):
        services.outcome_archive(actor=demo.petra, outcome=suspects, reason="x")


def test_an_outcome_cannot_be_given_an_impossible_range(demo, suspects) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.outcome_update(
            actor=demo.carl,
            outcome=suspects,
            data={"min_value": Decimal(10), "max_value": Decimal(5)},
        )
    assert "max_value" in error.value.message_dict


def test_the_demo_shows_review_in_use(demo, suspects) -> None:
    states = list(suspects.measurements.values_list("review_state", flat=True))
    assert states.count(ReviewState.SUBMITTED) >= 2
    returned = suspects.measurements.get(review_state=ReviewState.RETURNED)
    assert returned.review_comment


def test_the_migration_gives_existing_outcomes_a_kind_by_their_unit(demo) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "cases.migrations.0003_outcome_value_kind_and_measurement_review"
    )
    Outcome.objects.update(value_kind="amount")  # as every outcome was before the migration
    migration.existing_outcomes_get_a_kind(apps, None)
    kinds = dict(Outcome.objects.filter(case=demo.youth).values_list("unit", "value_kind"))
    assert kinds == {"personer": "count", "%": "percent"}


def test_the_migration_marks_targets_already_reached_as_announced(demo, suspects) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "cases.migrations.0003_outcome_value_kind_and_measurement_review"
    )
    _report(demo, suspects, 39, actor=demo.carl)
    Outcome.objects.filter(pk=suspects.pk).update(target_reached=False, target_reached_at=None)
    migration.reached_targets_stay_announced(apps, None)
    suspects.refresh_from_db()
    assert suspects.target_reached and suspects.target_reached_at is not None
