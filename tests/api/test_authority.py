"""The API obeys who may hand coordination on, make a case public, or re-plan an action."""

from __future__ import annotations

import pytest

from cases.choices import ActionStatus, Visibility
from notifications.choices import EventKind
from notifications.models import Event
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _case_url(demo) -> str:
    return f"/api/v1/cases/{demo.youth.pk}/"


def _action_url(action) -> str:
    return f"/api/v1/actions/{action.pk}/"


def test_coordinator_handing_the_case_to_an_outsider_gets_a_field_error(demo, api) -> None:
    with nothing_written():
        response = api(demo.carl).patch(
            _case_url(demo), {"coordinator": demo.eve.pk, "reason": "Eve tar över."}, format="json"
        )
    assert response.status_code == 400
    assert "coordinator" in response.json()
    assert api(demo.eve).get(_case_url(demo)).status_code == 404


def test_coordinator_hands_the_case_to_a_partner_with_a_reason(demo, api) -> None:
    reason = "Polisen tar över samordningen."
    response = api(demo.carl).patch(
        _case_url(demo), {"coordinator": demo.petra.pk, "reason": reason}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["coordinator"] == demo.petra.pk
    history = api(demo.petra).get(f"{_case_url(demo)}history/").json()["results"]
    assert history[0]["reason"] == reason
    assert [c["field"] for c in history[0]["changes"]] == ["coordinator"]
    event = Event.objects.filter(case=demo.youth, kind=EventKind.CASE_UPDATED).latest("pk")
    assert event.payload["reason"] == reason


def test_coordinator_making_the_case_public_is_forbidden_and_nothing_changes(demo, api) -> None:
    with nothing_written():
        response = api(demo.carl).patch(
            _case_url(demo), {"visibility": "public", "reason": "Öppenhet."}, format="json"
        )
    assert response.status_code == 403
    assert "committee" in response.json()["detail"]
    assert api(demo.eve).get(_case_url(demo)).status_code == 404


def test_committee_member_makes_the_case_public_with_a_reason(demo, api) -> None:
    response = api(demo.anna).patch(
        _case_url(demo), {"visibility": "public", "reason": "Nämndens beslut."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["visibility"] == Visibility.PUBLIC
    assert api(demo.eve).get(_case_url(demo)).status_code == 200


def test_committee_member_making_the_case_public_without_a_reason_gets_a_field_error(
    demo, api
) -> None:
    with nothing_written():
        response = api(demo.anna).patch(_case_url(demo), {"visibility": "public"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


@pytest.mark.parametrize(
    "field,value",
    [
        ("contributors", lambda demo: []),
        ("title", lambda demo: "Polisens titel"),
        ("due_date", lambda demo: "2030-01-01"),
        ("assignee", lambda demo: demo.petra.pk),
    ],
)
def test_contributor_cannot_patch_the_plan_of_an_action_led_by_another_organisation(
    demo, api, field, value
) -> None:
    talks = demo.actions.talks
    with nothing_written():
        response = api(demo.petra).patch(_action_url(talks), {field: value(demo)}, format="json")
    assert response.status_code == 403
    assert field in response.json()["detail"]
    talks.refresh_from_db()
    assert list(talks.contributors.all()) == [demo.orgs.police]


def test_contributor_cannot_put_a_re_planned_action(demo, api) -> None:
    talks = demo.actions.talks
    client = api(demo.petra)
    body = client.get(_action_url(talks)).json()
    body.update(title="Omplanerad", contributors=[])
    with nothing_written():
        response = client.put(_action_url(talks), body, format="json")
    assert response.status_code == 403
    assert "title" in response.json()["detail"]
    assert "contributors" in response.json()["detail"]


def test_contributor_changes_the_status_and_posts_progress(demo, api) -> None:
    talks = demo.actions.talks
    client = api(demo.petra)
    response = client.patch(_action_url(talks), {"status": "in_progress"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == ActionStatus.IN_PROGRESS
    posted = client.post(
        f"{_action_url(talks)}updates/", {"text": "Klart på vår sida.", "status": "done"}
    )
    assert posted.status_code == 201
    talks.refresh_from_db()
    assert talks.status == ActionStatus.DONE


def test_lead_organisations_member_re_plans_the_action(demo, api) -> None:
    talks = demo.actions.talks
    response = api(demo.sara).patch(
        _action_url(talks), {"title": "Samtal i fem skolor", "contributors": []}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["contributors"] == []
