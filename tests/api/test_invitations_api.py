"""The API of invitations: the invited read the case's overview and participants,
not its work; a decline needs a reason; answers change until acknowledged."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import Outcome
from tests.helpers import nothing_written
from tests.invitations import fresh, police_invited_to_care

pytestmark = pytest.mark.django_db


def _participation_url(story, suffix: str = "") -> str:
    return f"/api/v1/participations/{story.invitation.pk}/{suffix}"


def test_an_invited_member_reads_the_overview_and_participants_but_not_the_work(demo, api):
    story = police_invited_to_care(demo)
    client = api(story.member)
    case = client.get(f"/api/v1/cases/{demo.care.pk}/")
    assert case.status_code == 200 and case.json()["title"] == demo.care.title
    participants = client.get(f"/api/v1/cases/{demo.care.pk}/participations/")
    assert participants.status_code == 200
    assert client.get(f"/api/v1/cases/{demo.care.pk}/history/").status_code == 404
    outcome = Outcome.objects.filter(case=demo.care).first()
    assert client.get(f"/api/v1/outcomes/{outcome.pk}/").status_code == 404
    actions = client.get("/api/v1/actions/").json()["results"]
    assert all(row["case"] != demo.care.pk for row in actions)
    assert client.patch(f"/api/v1/cases/{demo.care.pk}/", {"priority": "low"}).status_code == 404


def test_decline_without_a_reason_is_a_400_naming_the_reason(demo, api):
    story = police_invited_to_care(demo)
    with nothing_written():
        response = api(demo.petra).post(_participation_url(story, "decline/"), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_a_member_who_is_not_admin_cannot_answer(demo, api):
    story = police_invited_to_care(demo)
    with nothing_written():
        response = api(story.member).post(
            _participation_url(story, "decline/"), {"reason": "Nej."}, format="json"
        )
    assert response.status_code == 403


def test_an_answer_changes_until_acknowledged_then_stands(demo, api):
    story = police_invited_to_care(demo)
    petra = api(demo.petra)
    declined = petra.post(_participation_url(story, "decline/"), {"reason": "Nej."}, format="json")
    assert declined.status_code == 200
    assert declined.json()["answer_changeable"] is True
    assert declined.json()["decline_reason"] == "Nej."
    accepted = petra.post(_participation_url(story, "accept/"), {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "active"
    assert (
        petra.post(_participation_url(story, "acknowledge/"), {}, format="json").status_code == 403
    )
    acknowledged = api(demo.anna).post(_participation_url(story, "acknowledge/"), {}, format="json")
    assert acknowledged.status_code == 200 and acknowledged.json()["answer_changeable"] is False
    with nothing_written():
        again = petra.post(_participation_url(story, "decline/"), {"reason": "Nej."}, format="json")
    assert again.status_code == 400
    assert fresh(story.invitation).state == "active"


def test_a_locked_decline_is_gone_for_the_invited_organisation(demo, api):
    story = police_invited_to_care(demo)
    api(demo.petra).post(_participation_url(story, "decline/"), {"reason": "Nej."}, format="json")
    api(demo.anna).post(_participation_url(story, "acknowledge/"), {}, format="json")
    for user in (demo.petra, story.member):
        assert api(user).get(_participation_url(story)).status_code == 404
        assert api(user).get(f"/api/v1/cases/{demo.care.pk}/").status_code == 404


def test_closing_through_the_api_withdraws_the_invitation(demo, api):
    story = police_invited_to_care(demo)
    anna = api(demo.anna)
    for status in ("evaluating", "closed"):
        response = anna.post(
            f"/api/v1/cases/{demo.care.pk}/transition/",
            {"to_status": status, "reason": "Klart."},
            format="json",
        )
        assert response.status_code == 200
    assert fresh(story.invitation).state == "withdrawn"
    assert api(demo.petra).get(_participation_url(story)).status_code == 404
    reopened = anna.post(
        f"/api/v1/cases/{demo.care.pk}/transition/",
        {"to_status": "active", "reason": "Mer att göra."},
        format="json",
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "active"


def test_changing_a_closed_case_is_a_400_saying_it_is_closed(demo, api):
    for status in ("evaluating", "closed"):
        services.case_transition(actor=demo.anna, case=demo.youth, to_status=status, reason="x")
    police = demo.youth.participations.get(organisation=demo.orgs.police)
    with nothing_written():
        case = api(demo.carl).patch(
            f"/api/v1/cases/{demo.youth.pk}/", {"priority": "low"}, format="json"
        )
        mandate = api(demo.petra).patch(
            f"/api/v1/participations/{police.pk}/", {"mandate": "Mer."}, format="json"
        )
    assert case.status_code == 400 and "closed" in case.content.decode()
    assert mandate.status_code == 400 and "closed" in mandate.content.decode()
    assert (
        api(demo.eve)
        .patch(f"/api/v1/cases/{demo.youth.pk}/", {"priority": "low"}, format="json")
        .status_code
        == 404
    )
