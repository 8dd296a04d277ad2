from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.choices import ActionStatus, CaseStatus, ParticipationRole, ParticipationState
from cases.models import Theme
from notifications.models import Event
from tests.helpers import nothing_written

TODAY = dt.date.today()


def _new_case(demo, **overrides):
    fields = {
        "actor": demo.anna,
        "title": "Hemlöshet bland unga vuxna",
        "summary": "Unga vuxna som faller mellan stolarna.",
        "theme": Theme.objects.get(slug="housing"),
        "scope_areas": [demo.orgs.malmo],
        "coordinator": demo.carl,
    }
    fields.update(overrides)
    return services.case_create(**fields)


def test_case_gets_the_next_reference_of_the_year(demo) -> None:
    first, second = _new_case(demo), _new_case(demo)
    year = dt.date.today().year
    assert first.reference.startswith(f"SAM-{year}-")
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


def test_new_case_starts_as_draft_and_records_an_event(demo) -> None:
    case = _new_case(demo)
    assert case.status == CaseStatus.DRAFT
    assert Event.objects.filter(case=case, kind="case.created").count() == 1


def test_partner_cannot_register_a_case(demo) -> None:
    with nothing_written(), pytest.raises(PermissionDenied):
        _new_case(demo, actor=demo.petra)


def test_case_needs_a_scope(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        _new_case(demo, scope_areas=[])
    assert "scope_areas" in error.value.message_dict


def test_case_scope_lists_only_regions_and_municipalities(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        _new_case(demo, scope_areas=[demo.orgs.police])
    assert "scope_areas" in error.value.message_dict


def test_target_date_before_start_is_refused(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        _new_case(demo, start_date=TODAY, target_date=TODAY - dt.timedelta(days=1))
    assert "target_date" in error.value.message_dict


def test_every_transition_is_recorded_with_who_and_why(demo) -> None:
    case = _new_case(demo)
    for status in ("active", "on_hold", "active", "evaluating", "closed"):
        services.case_transition(
            actor=demo.carl, case=case, to_status=status, reason=f"to {status}"
        )
    changes = list(case.status_changes.order_by("changed_at", "id"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("draft", "active"),
        ("active", "on_hold"),
        ("on_hold", "active"),
        ("active", "evaluating"),
        ("evaluating", "closed"),
    ]
    assert {c.changed_by for c in changes} == {demo.carl}
    assert changes[0].reason == "to active"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ((), "closed"),
        ((), "evaluating"),
        (("active",), "draft"),
        (("active", "evaluating"), "active"),
    ],
)
def test_illegal_transition_is_refused_and_writes_nothing(demo, path, target) -> None:
    case = _new_case(demo)
    for status in path:
        services.case_transition(actor=demo.anna, case=case, to_status=status, reason="ok")
    with nothing_written(), pytest.raises(services.TransitionNotAllowed) as error:
        services.case_transition(actor=demo.anna, case=case, to_status=target, reason="why not")
    assert "cannot go from" in error.value.message_dict["to_status"][0]


def test_transition_needs_a_reason(demo) -> None:
    case = _new_case(demo)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_transition(actor=demo.anna, case=case, to_status="active", reason="  ")
    assert "reason" in error.value.message_dict


def test_case_without_coordinator_cannot_become_active(demo) -> None:
    case = _new_case(demo, coordinator=None)
    with nothing_written(), pytest.raises(ValidationError):
        services.case_transition(actor=demo.anna, case=case, to_status="active", reason="start")


def test_partner_cannot_move_a_case(demo) -> None:
    with nothing_written(), pytest.raises(PermissionDenied):
        services.case_transition(actor=demo.sara, case=demo.youth, to_status="on_hold", reason="x")


def test_stale_version_changes_nothing(demo) -> None:
    case = demo.youth
    with nothing_written(), pytest.raises(services.StaleVersion):
        services.case_update(
            actor=demo.anna, case=case, data={"title": "Ny"}, expected_version=case.version - 1
        )


def test_update_without_changes_writes_no_history(demo) -> None:
    with nothing_written():
        services.case_update(actor=demo.anna, case=demo.youth, data={"title": demo.youth.title})


# Participations


def test_invitation_answered_by_the_organisations_admin(demo) -> None:
    invitation = services.participation_invite(
        actor=demo.carl, case=demo.youth, organisation=demo.orgs.malmo, role="contributor"
    )
    malik = type(demo.anna).objects.get(username="malik")
    with pytest.raises(PermissionDenied):
        services.participation_accept(actor=demo.sara, participation=invitation)
    accepted = services.participation_accept(
        actor=malik, participation=invitation, contact_person=malik
    )
    assert accepted.state == ParticipationState.ACTIVE
    assert accepted.contact_person == malik
    with pytest.raises(ValidationError):
        services.participation_decline(actor=malik, participation=accepted)


def test_organisation_cannot_be_invited_twice(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_invite(
            actor=demo.anna, case=demo.youth, organisation=demo.orgs.police, role="partner"
        )
    assert "organisation" in error.value.message_dict


def test_case_has_only_one_lead(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_invite(
            actor=demo.anna,
            case=demo.youth,
            organisation=demo.orgs.malmo,
            role=ParticipationRole.LEAD,
        )
    assert "role" in error.value.message_dict


def test_contact_person_must_belong_to_the_organisation(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_invite(
            actor=demo.anna,
            case=demo.youth,
            organisation=demo.orgs.malmo,
            role="partner",
            contact_person=demo.petra,
        )
    assert "contact_person" in error.value.message_dict


def test_organisation_leading_open_actions_cannot_withdraw(demo) -> None:
    participation = demo.youth.participations.get(organisation=demo.orgs.police)
    with nothing_written(), pytest.raises(ValidationError):
        services.participation_withdraw(actor=demo.petra, participation=participation)


# Actions


def test_lead_must_be_an_active_participant(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_create(
            actor=demo.anna, case=demo.youth, title="X", lead_organisation=demo.orgs.malmo
        )
    assert "lead_organisation" in error.value.message_dict


def test_observer_cannot_lead_an_action(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_create(
            actor=demo.anna, case=demo.youth, title="X", lead_organisation=demo.orgs.fryshuset
        )
    assert "lead_organisation" in error.value.message_dict


def test_contributors_must_take_part(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_create(
            actor=demo.anna,
            case=demo.youth,
            title="X",
            lead_organisation=demo.orgs.police,
            contributors=[demo.orgs.kiruna],
        )
    assert "contributors" in error.value.message_dict


def test_assignee_must_work_for_an_action_organisation(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_create(
            actor=demo.anna,
            case=demo.youth,
            title="X",
            lead_organisation=demo.orgs.police,
            assignee=demo.sara,
        )
    assert "assignee" in error.value.message_dict


def test_dependency_cycle_is_refused(demo) -> None:
    picture, talks = demo.actions.picture, demo.actions.talks  # talks depends on picture
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_update(actor=demo.carl, action=picture, data={"depends_on": [talks]})
    assert "cycle" in error.value.message_dict["depends_on"][0]


def test_longer_dependency_cycle_is_refused(demo) -> None:
    a, b, c = demo.actions.picture, demo.actions.talks, demo.actions.fieldwork
    services.action_update(actor=demo.carl, action=c, data={"depends_on": [b]})  # c -> b -> a
    with nothing_written(), pytest.raises(ValidationError):
        services.action_update(actor=demo.carl, action=a, data={"depends_on": [c]})


def test_self_dependency_is_refused(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError):
        services.action_update(
            actor=demo.carl,
            action=demo.actions.picture,
            data={"depends_on": [demo.actions.picture]},
        )


def test_cross_case_dependency_is_refused(demo) -> None:
    other = demo.care.actions.first()
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_update(
            actor=demo.carl, action=demo.actions.picture, data={"depends_on": [other]}
        )
    assert "depends_on" in error.value.message_dict


def test_finishing_a_blocking_action_tells_the_waiting_ones(demo) -> None:
    services.action_update_post(
        actor=demo.petra,
        action=demo.actions.picture,
        text="Lägesbilden är klar.",
        new_status="done",
    )
    unblocked = Event.objects.filter(kind="action.unblocked", object_id=demo.actions.talks.pk)
    assert unblocked.count() == 1
    assert unblocked.get().payload["blocking_action"] == demo.actions.picture.pk
    demo.actions.picture.refresh_from_db()
    assert demo.actions.picture.completed_at is not None


def test_progress_update_with_status_changes_the_action(demo) -> None:
    update = services.action_update_post(
        actor=demo.sara,
        action=demo.actions.fieldwork,
        text="Vi är igång igen.",
        new_status="blocked",
    )
    demo.actions.fieldwork.refresh_from_db()
    assert demo.actions.fieldwork.status == ActionStatus.BLOCKED
    assert update.old_status == ActionStatus.IN_PROGRESS
    kinds = set(
        Event.objects.filter(object_id=demo.actions.fieldwork.pk).values_list("kind", flat=True)
    )
    assert {"action.blocked", "action.update_posted", "action.status_changed"} <= kinds


def test_empty_progress_update_is_refused(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.action_update_post(actor=demo.sara, action=demo.actions.fieldwork, text=" ")
    assert "text" in error.value.message_dict


def test_partner_cannot_hand_an_action_to_another_organisation(demo) -> None:
    with nothing_written(), pytest.raises(PermissionDenied):
        services.action_update(
            actor=demo.petra,
            action=demo.actions.picture,
            data={"lead_organisation": demo.orgs.sodertalje},
        )


def test_nothing_changes_in_a_closed_case(demo) -> None:
    case = demo.youth
    for status in ("evaluating", "closed"):
        services.case_transition(actor=demo.anna, case=case, to_status=status, reason="done")
    with nothing_written(), pytest.raises(ValidationError):
        services.action_update_post(actor=demo.sara, action=demo.actions.fieldwork, text="sent")


# Outcomes and measurements


def test_measurement_for_a_foreign_case_is_refused(demo) -> None:
    care_outcome = demo.care.outcomes.first()
    with nothing_written(), pytest.raises(PermissionDenied):
        services.measurement_report(
            actor=demo.petra,
            outcome=care_outcome,
            organisation=demo.orgs.police,
            value=Decimal(1),
            measured_on=TODAY,
        )


def test_measurement_by_non_participating_organisation_is_refused(demo) -> None:
    outcome = demo.youth.outcomes.first()
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.measurement_report(
            actor=demo.anna,
            outcome=outcome,
            organisation=demo.orgs.kiruna,
            value=Decimal(1),
            measured_on=TODAY,
        )
    assert "organisation" in error.value.message_dict


def test_partner_reports_only_for_their_own_organisation(demo) -> None:
    outcome = demo.youth.outcomes.first()
    with nothing_written(), pytest.raises(PermissionDenied):
        services.measurement_report(
            actor=demo.petra,
            outcome=outcome,
            organisation=demo.orgs.sodertalje,
            value=Decimal(1),
            measured_on=TODAY,
        )


def test_observer_cannot_report_measurements(demo) -> None:
    outcome = demo.youth.outcomes.first()
    with nothing_written(), pytest.raises(PermissionDenied):
        services.measurement_report(
            actor=demo.olle,
            outcome=outcome,
            organisation=demo.orgs.fryshuset,
            value=Decimal(1),
            measured_on=TODAY,
        )


def test_reaching_the_target_is_an_event_once(demo) -> None:
    outcome = demo.youth.outcomes.get(direction="decrease")
    for days_ago, value in ((1, 39), (0, 38)):
        measurement = services.measurement_report(
            actor=demo.petra,
            outcome=outcome,
            organisation=demo.orgs.police,
            value=Decimal(value),
            measured_on=TODAY - dt.timedelta(days=days_ago),
        )
        services.measurement_approve(actor=demo.carl, measurement=measurement)
    assert Event.objects.filter(kind="outcome.target_reached", object_id=outcome.pk).count() == 1


def test_outcome_target_must_lie_in_its_direction(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.outcome_create(
            actor=demo.carl,
            case=demo.youth,
            title="Fler",
            indicator="Antal",
            unit="st",
            direction="increase",
            baseline_value=Decimal(10),
            baseline_date=TODAY,
            target_value=Decimal(5),
            target_date=TODAY,
        )
    assert "target_value" in error.value.message_dict
