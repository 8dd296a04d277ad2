"""Authority over a case and its actions: who hands coordination on, who makes a case public,
and what a contributing organisation may change on an action another organisation leads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import access, services
from cases.choices import ActionStatus, Visibility
from cases.models import Case
from notifications.choices import EventKind
from notifications.models import Event
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _last_case_event(case: Case) -> Event:
    return Event.objects.filter(case=case, kind=EventKind.CASE_UPDATED).latest("pk")


# Coordination


def test_coordinator_cannot_hand_the_case_to_someone_who_cannot_see_it(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_update(
            actor=demo.carl,
            case=demo.youth,
            data={"coordinator": demo.eve},
            reason="Eve tar över.",
        )
    assert "coordinator" in error.value.message_dict
    demo.youth.refresh_from_db()
    assert demo.youth.coordinator == demo.carl
    assert not access.can_view_case(demo.eve, demo.youth)


def test_coordinator_hands_over_to_a_partner_with_the_reason_in_history_and_event(demo) -> None:
    reason = "Carl går på föräldraledighet; polisen tar över samordningen."
    services.case_update(
        actor=demo.carl, case=demo.youth, data={"coordinator": demo.petra}, reason=reason
    )
    demo.youth.refresh_from_db()
    assert demo.youth.coordinator == demo.petra
    record = demo.youth.history.latest("history_id")
    assert record.history_change_reason == reason
    event = _last_case_event(demo.youth)
    assert event.payload["changed"] == ["coordinator"]
    assert event.payload["reason"] == reason
    assert event.payload["coordinator"] == [demo.carl.pk, demo.petra.pk]


def test_coordinator_handing_over_without_a_reason_is_refused_by_the_reason_field(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_update(actor=demo.carl, case=demo.youth, data={"coordinator": demo.petra})
    assert "reason" in error.value.message_dict


def test_coordinator_cannot_leave_the_case_without_a_coordinator(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_update(
            actor=demo.carl, case=demo.youth, data={"coordinator": None}, reason="Jag slutar."
        )
    assert "coordinator" in error.value.message_dict


def test_committee_appoints_any_coordinator_with_a_reason(demo) -> None:
    services.case_update(
        actor=demo.anna, case=demo.youth, data={"coordinator": demo.eve}, reason="Beslut i nämnden."
    )
    demo.youth.refresh_from_db()
    assert demo.youth.coordinator == demo.eve
    assert access.can_view_case(demo.eve, demo.youth)


def test_committee_cannot_appoint_a_deactivated_user(demo) -> None:
    demo.petra.is_active = False
    demo.petra.save(update_fields=["is_active"])
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_update(
            actor=demo.anna, case=demo.youth, data={"coordinator": demo.petra}, reason="Beslut."
        )
    assert "coordinator" in error.value.message_dict


# Visibility


def test_coordinator_cannot_make_the_case_public(demo) -> None:
    with nothing_written(), pytest.raises(PermissionDenied) as error:
        services.case_update(
            actor=demo.carl,
            case=demo.youth,
            data={"visibility": Visibility.PUBLIC},
            reason="Alla borde få veta.",
        )
    assert "committee" in str(error.value)
    demo.youth.refresh_from_db()
    assert demo.youth.visibility == Visibility.RESTRICTED


def test_committee_makes_the_case_public_with_the_reason_recorded(demo) -> None:
    reason = "Nämnden beslutade att redovisa arbetet öppet."
    services.case_update(
        actor=demo.anna, case=demo.youth, data={"visibility": Visibility.PUBLIC}, reason=reason
    )
    demo.youth.refresh_from_db()
    assert demo.youth.visibility == Visibility.PUBLIC
    assert demo.youth.history.latest("history_id").history_change_reason == reason
    event = _last_case_event(demo.youth)
    assert event.payload["reason"] == reason
    assert event.payload["visibility"] == [Visibility.RESTRICTED, Visibility.PUBLIC]


def test_committee_changing_visibility_without_a_reason_is_refused(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_update(
            actor=demo.anna, case=demo.youth, data={"visibility": Visibility.PUBLIC}
        )
    assert "reason" in error.value.message_dict


def test_other_case_fields_need_no_reason(demo) -> None:
    services.case_update(actor=demo.carl, case=demo.youth, data={"priority": "critical"})
    demo.youth.refresh_from_db()
    assert demo.youth.priority == "critical"


# Actions: plan versus progress


@pytest.mark.parametrize(
    "field,value",
    [
        ("contributors", lambda demo: []),
        ("title", lambda demo: "Polisens egen titel"),
        ("due_date", lambda demo: None),
        ("description", lambda demo: ""),
        ("assignee", lambda demo: demo.petra),
        ("depends_on", lambda demo: []),
    ],
)
def test_contributing_partner_cannot_change_the_plan_of_another_organisations_action(
    demo, field, value
) -> None:
    talks = demo.actions.talks  # led by Södertälje kommun, Polismyndigheten contributes
    with nothing_written(), pytest.raises(PermissionDenied) as error:
        services.action_update(actor=demo.petra, action=talks, data={field: value(demo)})
    assert field in str(error.value)
    talks.refresh_from_db()
    assert list(talks.contributors.all()) == [demo.orgs.police]


def test_contributing_partner_reports_status_and_progress(demo) -> None:
    talks = demo.actions.talks
    services.action_update(
        actor=demo.petra, action=talks, data={"status": ActionStatus.IN_PROGRESS}
    )
    services.action_update_post(actor=demo.petra, action=talks, text="Lägesbilden är skickad.")
    talks.refresh_from_db()
    assert talks.status == ActionStatus.IN_PROGRESS
    assert talks.updates.filter(author=demo.petra).exists()


def test_lead_organisations_member_changes_the_plan(demo) -> None:
    talks = demo.actions.talks
    services.action_update(
        actor=demo.sara, action=talks, data={"title": "Samtal i fem skolor", "contributors": []}
    )
    talks.refresh_from_db()
    assert talks.title == "Samtal i fem skolor"
    assert list(talks.contributors.all()) == []


def test_access_separates_planning_an_action_from_reporting_on_it(demo) -> None:
    talks = demo.actions.talks
    assert access.can_report_action_progress(demo.petra, talks)
    assert not access.can_edit_action_plan(demo.petra, talks)
    for user in (demo.sara, demo.carl, demo.anna):
        assert access.can_edit_action_plan(user, talks)
    assert not access.can_report_action_progress(demo.olle, talks)
    assert not access.can_report_action_progress(demo.eve, talks)
