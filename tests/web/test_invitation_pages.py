"""The invitation's page, the action form's organisation choices and a closed case's page
What each persona sees and may do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.models import Action, Participation
from notifications.messages import event_path
from notifications.models import Event
from tests.former_participants import former_participant
from tests.helpers import nothing_written
from tests.invitations import MANDATE, fresh, police_invited_to_care

from .test_forms import field_error, post

pytestmark = pytest.mark.django_db


def _url(participation: Participation) -> str:
    return reverse("invitation_answer", args=[participation.pk])


def _close(demo, case) -> None:
    for status in ("evaluating", "closed"):
        services.case_transition(actor=demo.anna, case=case, to_status=status, reason="Klart.")


def test_a_member_of_the_invited_organisation_reads_the_overview_but_not_the_work(demo, client_for):
    story = police_invited_to_care(demo)
    response = client_for(story.member).get(_url(story.invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert demo.care.title in html and demo.care.summary in html
    assert MANDATE in html and "Partner" in html  # the proposed mandate and role
    assert "Region Skåne" in html  # the participants
    action = Action.objects.filter(case=demo.care).first()
    assert action.title not in html  # no actions …
    assert 'id="timeline"' not in html and 'id="outcomes"' not in html  # … outcomes, timeline
    assert 'name="answer"' not in html  # not an admin: no answer form
    assert (
        client_for(story.member).get(reverse("case_detail", args=[demo.care.reference])).status_code
        == 404
    )


def test_a_member_who_is_not_admin_cannot_answer(demo, client_for):
    story = police_invited_to_care(demo)
    with nothing_written():
        response = client_for(story.member).post(
            _url(story.invitation), {"answer": "accept", "mandate": "x"}
        )
    assert response.status_code == 403


def test_declining_without_a_reason_shows_the_error_by_the_reason(demo, client_for):
    story = police_invited_to_care(demo)
    with nothing_written():
        html = post(client_for(demo.petra), _url(story.invitation), {"answer": "decline"})
    assert "Say why" in field_error(html, "reason")
    assert fresh(story.invitation).state == "invited"


def test_an_admin_declines_then_changes_the_answer_to_accept(demo, client_for):
    story = police_invited_to_care(demo)
    client = client_for(story.colleague)
    response = client.post(
        _url(story.invitation), {"answer": "decline", "reason": "Inga resurser i år."}
    )
    assert response.status_code == 302
    html = client.get(_url(story.invitation)).content.decode()
    assert "Inga resurser i år." in html and "Change the answer" in html
    assert 'value="decline"' not in html  # only the other answer is offered
    response = client.post(_url(story.invitation), {"answer": "accept", "mandate": MANDATE})
    assert response.status_code == 302
    assert fresh(story.invitation).state == "active"


def test_the_case_manager_acknowledges_the_answer_and_it_can_no_longer_change(demo, client_for):
    story = police_invited_to_care(demo)
    services.participation_decline(actor=demo.petra, participation=story.invitation, reason="Nej.")
    page = client_for(demo.anna).get(_url(story.invitation)).content.decode()
    assert "Acknowledge the answer" in page and "Open the case page" in page
    assert (
        client_for(demo.anna).post(_url(story.invitation), {"acknowledge": "1"}).status_code == 302
    )
    assert fresh(story.invitation).answer_acknowledged_by == demo.anna
    # The declined organisation has left for good: its invitation no longer exists for it.
    for user in (demo.petra, story.member):
        assert client_for(user).get(_url(story.invitation)).status_code == 404


def test_someone_outside_the_case_and_the_invitation_finds_nothing(demo, client_for):
    story = police_invited_to_care(demo)
    assert client_for(demo.eve).get(_url(story.invitation)).status_code == 404
    assert client_for(demo.sara).get(_url(story.invitation)).status_code == 404


@pytest.mark.parametrize("withdrew", [False, True], ids=["declined", "withdrawn"])
def test_a_former_invitee_finds_neither_invitation_nor_case(demo, client_for, withdrew):
    admin, participation = former_participant(demo, withdrew=withdrew)
    assert client_for(admin).get(_url(participation)).status_code == 404


def test_every_notification_of_an_invitation_points_at_the_invitation_page(demo):
    story = police_invited_to_care(demo)
    services.participation_decline(actor=demo.petra, participation=story.invitation, reason="Nej.")
    events = Event.objects.filter(object_type="participation", object_id=story.invitation.pk)
    assert {event_path(event) for event in events} == {_url(story.invitation)}


def test_the_invitations_to_answer_leave_the_dashboard_once_answered(demo, client_for):
    story = police_invited_to_care(demo)
    dashboard = reverse("dashboard")
    assert _url(story.invitation) in client_for(demo.petra).get(dashboard).content.decode()
    services.participation_decline(actor=demo.petra, participation=story.invitation, reason="Nej.")
    assert _url(story.invitation) not in client_for(demo.petra).get(dashboard).content.decode()


# The action form offers only organisations in a working role.


def test_the_observer_is_not_offered_as_lead_or_contributor(demo, client_for):
    html = client_for(demo.carl).get(reverse("action_create", args=[demo.youth.reference]))
    html = html.content.decode()
    assert "Polismyndigheten" in html and "Fryshuset" not in html  # Fryshuset observes


def test_an_empty_choice_says_why_and_links_to_what_fixes_it(demo, client_for):
    story = police_invited_to_care(demo)  # invited, not yet accepted: not offered
    case = services.case_create(
        actor=demo.anna,
        title="Trygghet i kollektivtrafiken",
        summary="Tryggare resor kvällstid.",
        theme=demo.youth.theme,
        is_national=True,
        coordinator=demo.anna,
    )
    services.participation_invite(
        actor=demo.anna, case=case, organisation=demo.orgs.police, role="partner"
    )
    html = client_for(demo.anna).get(reverse("action_create", args=[case.reference]))
    html = html.content.decode()
    assert "No organisation takes part in a working role yet" in html
    assert f'href="{reverse("participation_invite", args=[case.reference])}"' in html
    assert f'href="{reverse("case_detail", args=[case.reference])}#participants"' in html
    assert story.invitation.case != case


# A closed case offers nothing that would be refused; its managers may reopen it.


def test_a_closed_case_page_offers_no_change_but_the_reopening(demo, client_for):
    _close(demo, demo.youth)
    case_url = reverse("case_detail", args=[demo.youth.reference])
    carl = client_for(demo.carl).get(case_url).content.decode()
    for refused in ("Edit case", "Change status", "Add an action", "Invite an organisation"):
        assert refused not in carl, refused
    assert "Add an outcome" not in carl and "Report a measurement" not in carl
    assert "Reopen the case" in carl
    petra = client_for(demo.petra).get(case_url).content.decode()
    assert "Reopen the case" not in petra and "Report a measurement" not in petra
    assert "Edit <span" not in petra
    assert (
        client_for(demo.carl).get(reverse("case_edit", args=[demo.youth.reference])).status_code
        == 403
    )


def test_the_coordinator_reopens_a_closed_case_with_a_reason(demo, client_for):
    _close(demo, demo.youth)
    url = reverse("case_transition", args=[demo.youth.reference])
    client = client_for(demo.carl)
    assert "Reopen the case" in client.get(url).content.decode()
    with nothing_written():
        html = post(client, url, {"to_status": "active", "reason": ""})
    assert field_error(html, "reason")
    response = client.post(url, {"to_status": "active", "reason": "Nya siffror."})
    assert response.status_code == 302
    demo.youth.refresh_from_db()
    assert demo.youth.status == "active"
    assert client_for(demo.petra).get(url).status_code == 403
