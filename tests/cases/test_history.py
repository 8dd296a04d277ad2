"""Every write path through the services leaves exactly one history record, with its author."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cases import services
from cases.history import case_timeline
from cases.models import Action, Case, Measurement, Outcome, Participation, Theme


def _count(model) -> int:
    return model.history.count()


def _last(model):
    return model.history.order_by("-history_id").first()


def test_case_create_update_transition_one_record_each(demo) -> None:
    before = _count(Case)
    case = services.case_create(
        actor=demo.anna,
        title="Ny",
        summary="S",
        theme=Theme.objects.first(),
        scope_areas=[demo.orgs.malmo],
        coordinator=demo.carl,
    )
    assert _count(Case) == before + 1 and _last(Case).history_user == demo.anna
    assert list(_last(Case).scope_areas.values_list("organisation_id", flat=True)) == [
        demo.orgs.malmo.pk
    ]
    services.case_update(
        actor=demo.carl, case=case, data={"scope_areas": [demo.orgs.kiruna], "title": "B"}
    )
    assert _count(Case) == before + 2 and _last(Case).history_user == demo.carl
    services.case_transition(actor=demo.carl, case=case, to_status="active", reason="go")
    assert _count(Case) == before + 3
    assert _last(Case).history_change_reason == "go"


def test_participation_paths_one_record_each(demo) -> None:
    malik = type(demo.anna).objects.get(username="malik")
    before = _count(Participation)
    invitation = services.participation_invite(
        actor=demo.anna, case=demo.youth, organisation=demo.orgs.malmo, role="partner"
    )
    services.participation_accept(
        actor=malik, participation=invitation, contact_person=malik, mandate="Elevhälsan"
    )
    services.participation_update(actor=malik, participation=invitation, data={"mandate": "Mer"})
    services.participation_withdraw(actor=malik, participation=invitation)
    authors = [r.history_user for r in Participation.history.order_by("history_id")][before:]
    assert authors == [demo.anna, malik, malik, malik]
    accepted = Participation.history.order_by("history_id")[before + 1]
    assert (accepted.state, accepted.mandate, accepted.contact_person_id) == (
        "active",
        "Elevhälsan",
        malik.pk,
    )


def test_action_paths_one_record_each(demo) -> None:
    before = _count(Action)
    action = services.action_create(
        actor=demo.petra,
        case=demo.youth,
        title="Ny",
        lead_organisation=demo.orgs.police,
        contributors=[demo.orgs.sodertalje],
        depends_on=[demo.actions.picture],
    )
    services.action_update(
        actor=demo.carl, action=action, data={"title": "Nyare", "contributors": []}
    )
    services.action_update_post(actor=demo.petra, action=action, text="Klar", new_status="done")
    services.action_update_post(
        actor=demo.petra, action=action, text="Bara text"
    )  # no action change
    records = list(Action.history.order_by("history_id"))[before:]
    assert [r.history_user for r in records] == [demo.petra, demo.carl, demo.petra]
    assert [r.status for r in records] == ["planned", "planned", "done"]


def test_outcome_and_measurement_one_record_each(demo) -> None:
    outcomes, measurements = _count(Outcome), _count(Measurement)
    outcome = services.outcome_create(
        actor=demo.carl,
        case=demo.youth,
        title="T",
        indicator="I",
        unit="st",
        direction="increase",
        baseline_value=Decimal(1),
        baseline_date=dt.date(2025, 1, 1),
        target_value=Decimal(5),
        target_date=dt.date(2027, 1, 1),
    )
    services.outcome_update(actor=demo.anna, outcome=outcome, data={"unit": "antal"})
    services.measurement_report(
        actor=demo.petra,
        outcome=outcome,
        organisation=demo.orgs.police,
        value=Decimal(2),
        measured_on=dt.date(2026, 1, 1),
    )
    assert _count(Outcome) == outcomes + 2 and _last(Outcome).history_user == demo.anna
    assert _count(Measurement) == measurements + 1 and _last(Measurement).history_user == demo.petra


def test_timeline_is_newest_first_with_before_and_after(demo) -> None:
    services.case_update(actor=demo.carl, case=demo.youth, data={"priority": "critical"})
    timeline = case_timeline(demo.youth)
    assert timeline == sorted(timeline, key=lambda e: e.when, reverse=True)
    latest = timeline[0]
    assert (latest.object_type, latest.who, latest.change_type) == ("case", demo.carl, "changed")
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("priority", "high", "critical")]
    kinds = {entry.object_type for entry in timeline}
    assert kinds == {"case", "participation", "action", "outcome", "measurement", "decision"}


def test_timeline_query_count_does_not_grow_with_history(
    demo, django_assert_max_num_queries
) -> None:
    # The demo case already has ~60 history records; the timeline reads them in a fixed number.
    with django_assert_max_num_queries(10):  # with the decisions' and files' history tables
        case_timeline(demo.youth)


def test_declining_an_invitation_is_one_record_by_the_admin(demo) -> None:
    malik = type(demo.anna).objects.get(username="malik")
    invitation = services.participation_invite(
        actor=demo.carl, case=demo.youth, organisation=demo.orgs.malmo, role="partner"
    )
    before = _count(Participation)
    services.participation_decline(actor=malik, participation=invitation, reason="Inget mandat")
    assert _count(Participation) == before + 1
    record = _last(Participation)
    assert (record.state, record.history_user, record.history_change_reason) == (
        "declined",
        malik,
        "Inget mandat",
    )


def test_a_long_reason_is_kept_whole_in_history(demo) -> None:
    """A decision explained in a paragraph: the timeline shows all of it (the history column
    once held 100 characters, so PostgreSQL refused the change with a server error)."""
    reason = "Beslutat vid kommitténs möte efter samråd med parterna. " * 30
    services.case_transition(actor=demo.carl, case=demo.youth, to_status="on_hold", reason=reason)
    assert _last(Case).history_change_reason == reason.strip()
    entry = case_timeline(demo.youth, limit=1)[0]
    assert entry.reason == reason.strip()
