"""Invitations people can decide on: a reasoned decline, an answer that may change
until the case's manager acts on it, invitations withdrawn when the case closes, reopening."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import access, selectors, services
from cases.choices import CaseStatus, ParticipationState
from cases.models import CaseStatusChange
from notifications.choices import EventKind
from notifications.models import Event, Notification
from notifications.selectors import inbox_for_user
from tests.helpers import nothing_written
from tests.invitations import fresh, police_invited_to_care

pytestmark = pytest.mark.django_db


def _close(demo, case, reason: str = "Målen är nådda.") -> None:
    for status in ("evaluating", "closed"):
        services.case_transition(actor=demo.anna, case=case, to_status=status, reason=reason)


def test_declining_without_a_reason_is_refused_by_the_reason_and_writes_nothing(demo) -> None:
    story = police_invited_to_care(demo)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_decline(actor=demo.petra, participation=story.invitation)
    assert "reason" in error.value.message_dict
    assert fresh(story.invitation).state == ParticipationState.INVITED


def test_a_plain_member_of_the_invited_organisation_cannot_answer(demo) -> None:
    story = police_invited_to_care(demo)
    with nothing_written(), pytest.raises(PermissionDenied):
        services.participation_accept(actor=story.member, participation=story.invitation)


def test_an_admin_changes_a_decline_to_an_accept_and_both_answers_are_history_and_events(
    demo,
) -> None:
    story = police_invited_to_care(demo)
    declined = services.participation_decline(
        actor=story.colleague, participation=story.invitation, reason="Inga resurser i år."
    )
    assert declined.state == ParticipationState.DECLINED
    assert declined.decline_reason == "Inga resurser i år."
    assert access.answer_changeable(fresh(declined))

    accepted = services.participation_accept(actor=story.colleague, participation=declined)
    assert accepted.state == ParticipationState.ACTIVE and accepted.decline_reason == ""

    events = Event.objects.filter(object_type="participation", object_id=accepted.pk)
    kinds = list(events.order_by("id").values_list("kind", "payload__changed_from"))
    assert kinds == [
        (EventKind.PARTICIPATION_INVITED, None),
        (EventKind.PARTICIPATION_DECLINED, None),
        (EventKind.PARTICIPATION_ACCEPTED, "declined"),
    ]
    timeline = selectors.case_timeline_for_user(demo.anna, case=demo.care, size=100).entries
    states = [e.changes for e in timeline]
    state_changes = [(c.old, c.new) for changes in states for c in changes if c.field == "state"]
    assert ("invited", "declined") in state_changes and ("declined", "active") in state_changes
    reasons = [e.reason for e in timeline]
    assert "Inga resurser i år." in reasons


def test_an_accepted_answer_changes_to_declined_with_a_reason(demo) -> None:
    story = police_invited_to_care(demo)
    accepted = services.participation_accept(actor=demo.petra, participation=story.invitation)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_decline(actor=demo.petra, participation=accepted)
    assert "reason" in error.value.message_dict
    declined = services.participation_decline(
        actor=demo.petra, participation=accepted, reason="Vi räknade fel på resurserna."
    )
    assert declined.state == ParticipationState.DECLINED
    assert not access.can_view_case(story.member, demo.care)


def test_giving_the_same_answer_again_is_refused(demo) -> None:
    story = police_invited_to_care(demo)
    accepted = services.participation_accept(actor=demo.petra, participation=story.invitation)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_accept(actor=demo.petra, participation=accepted)
    assert "already given" in str(error.value)


def test_an_acknowledged_answer_can_no_longer_change_and_the_decliner_loses_the_invitation(
    demo,
) -> None:
    story = police_invited_to_care(demo)
    declined = services.participation_decline(
        actor=demo.petra, participation=story.invitation, reason="Inte vårt uppdrag."
    )
    assert access.can_view_case_overview(story.member, demo.care)
    acknowledged = services.participation_acknowledge(actor=demo.anna, participation=declined)
    assert acknowledged.answer_acknowledged_by == demo.anna
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.participation_accept(actor=demo.petra, participation=acknowledged)
    assert "can no longer be changed" in str(error.value)
    locked = fresh(acknowledged)
    assert not access.can_view_participation(story.member, locked)
    assert not access.can_view_case_overview(story.member, locked.case)  # read afresh


def test_only_the_case_managers_acknowledge_and_only_a_changeable_answer(demo) -> None:
    story = police_invited_to_care(demo)
    with nothing_written(), pytest.raises(ValidationError):
        services.participation_acknowledge(actor=demo.anna, participation=story.invitation)
    accepted = services.participation_accept(actor=demo.petra, participation=story.invitation)
    with nothing_written(), pytest.raises(PermissionDenied):
        services.participation_acknowledge(actor=demo.petra, participation=accepted)


def test_the_manager_editing_the_participation_acts_on_the_answer(demo) -> None:
    story = police_invited_to_care(demo)
    accepted = services.participation_accept(actor=demo.petra, participation=story.invitation)
    services.participation_update(
        actor=demo.anna, participation=accepted, data={"mandate": "Hela Skåne."}
    )
    assert not access.answer_changeable(fresh(accepted))
    with nothing_written(), pytest.raises(ValidationError):
        services.participation_decline(actor=demo.petra, participation=accepted, reason="Nej.")


def test_the_organisations_own_mandate_edit_leaves_the_answer_open(demo) -> None:
    story = police_invited_to_care(demo)
    accepted = services.participation_accept(actor=demo.petra, participation=story.invitation)
    services.participation_update(
        actor=demo.petra, participation=accepted, data={"mandate": "Bara Malmö."}
    )
    assert access.answer_changeable(fresh(accepted))


def test_an_organisation_leading_open_actions_cannot_change_to_declined(demo) -> None:
    police = demo.youth.participations.get(organisation=demo.orgs.police)
    assert access.answer_changeable(police)  # the demo's answer was never acknowledged
    with nothing_written(), pytest.raises(ValidationError):
        services.participation_decline(actor=demo.petra, participation=police, reason="Nej.")


def test_answered_invitations_leave_the_dashboard_list(demo) -> None:
    story = police_invited_to_care(demo)
    assert list(selectors.invitations_for_user(demo.petra)) == [story.invitation]
    services.participation_decline(actor=demo.petra, participation=story.invitation, reason="x")
    assert list(selectors.invitations_for_user(demo.petra)) == []


def test_closing_withdraws_open_invitations_and_the_invited_admins_hear_of_it(
    demo, django_capture_on_commit_callbacks
) -> None:
    story = police_invited_to_care(demo)
    with django_capture_on_commit_callbacks(execute=True):
        _close(demo, demo.care, reason="Uppdraget är slutfört.")
    invitation = fresh(story.invitation)
    assert invitation.state == ParticipationState.WITHDRAWN
    assert list(selectors.invitations_for_user(demo.petra)) == []
    assert list(selectors.invitations_for_user(story.colleague)) == []
    event = Event.objects.get(kind=EventKind.INVITATION_WITHDRAWN, object_id=invitation.pk)
    assert event.payload["reason"] == "Uppdraget är slutfört."
    for admin in (demo.petra, story.colleague):
        notification = inbox_for_user(admin).get(event=event)
        assert notification.case_readable  # they read what happened, not a blank line
    assert not Notification.objects.filter(event=event, recipient=story.member).exists()
    assert not access.can_view_participation(story.colleague, invitation)


def test_closing_makes_open_answers_stand(demo) -> None:
    story = police_invited_to_care(demo)
    services.participation_accept(actor=demo.petra, participation=story.invitation)
    _close(demo, demo.care)
    assert fresh(story.invitation).answer_acknowledged_by == demo.anna


def test_a_closed_case_offers_no_change_to_anyone(demo) -> None:
    _close(demo, demo.youth)
    case = type(demo.youth).objects.get(pk=demo.youth.pk)
    action = demo.actions.picture
    action.case = case
    for user in (demo.anna, demo.carl, demo.petra, demo.sara):
        assert not access.can_manage_case(user, case)
        assert not access.can_create_action(user, case)
        assert not access.can_change_action(user, action)
        assert not access.working_organisation_ids(user, case)
    assert access.can_reopen_case(demo.carl, case) and not access.can_reopen_case(demo.petra, case)


@pytest.mark.parametrize(
    "attempt",
    [
        lambda d: services.case_update(actor=d.anna, case=d.youth, data={"title": "Nytt"}),
        lambda d: services.action_update(
            actor=d.carl, action=d.actions.picture, data={"title": "Nytt"}
        ),
        lambda d: services.participation_invite(
            actor=d.anna, case=d.youth, organisation=d.orgs.kiruna, role="observer"
        ),
    ],
    ids=["case edit", "action edit", "invite"],
)
def test_services_refuse_changes_in_a_closed_case_saying_it_is_closed(demo, attempt) -> None:
    _close(demo, demo.youth)
    demo.youth.refresh_from_db()
    demo.actions.picture.case = demo.youth
    with nothing_written(), pytest.raises(ValidationError) as error:
        attempt(demo)
    assert "closed" in str(error.value)


def test_a_manager_reopens_a_closed_case_with_a_reason_recorded(demo) -> None:
    _close(demo, demo.youth)
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.case_transition(actor=demo.carl, case=demo.youth, to_status="active", reason="")
    assert "reason" in error.value.message_dict
    with nothing_written(), pytest.raises(PermissionDenied):
        services.case_transition(
            actor=demo.petra, case=demo.youth, to_status="active", reason="Vi vill fortsätta."
        )
    change = services.case_transition(
        actor=demo.carl, case=demo.youth, to_status="active", reason="Nya siffror kräver mer."
    )
    assert (change.from_status, change.to_status) == ("closed", "active")
    assert change.changed_by == demo.carl and change.reason == "Nya siffror kräver mer."
    demo.youth.refresh_from_db()
    assert demo.youth.status == CaseStatus.ACTIVE
    event = Event.objects.filter(kind=EventKind.CASE_STATUS_CHANGED, case=demo.youth).first()
    assert event.payload == {
        "from": "closed",
        "to": "active",
        "reason": "Nya siffror kräver mer.",
        "reopened": True,
    }
    assert CaseStatusChange.objects.filter(case=demo.youth, from_status="closed").count() == 1


def test_reopening_goes_only_to_active_or_on_hold(demo) -> None:
    _close(demo, demo.youth)
    with nothing_written(), pytest.raises(services.TransitionNotAllowed):
        services.case_transition(
            actor=demo.anna, case=demo.youth, to_status="evaluating", reason="Igen."
        )
