from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cases import services as case_services
from notifications.choices import Ask, EmailMode, EventKind
from notifications.models import CaseFollow, Notification


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def update_posted(demo, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text="Lägesbilden är klar"
        )


@pytest.mark.usefixtures("update_posted")
def test_inbox_lists_what_a_client_needs_to_show_a_line(
    demo, client_for, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        response = client_for(demo.carl).get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    line = response.json()["results"][0]
    assert line["kind"] == EventKind.ACTION_UPDATE_POSTED
    assert "Lägesbilden är klar" in line["message"]
    assert line["case"]["reference"] == demo.youth.reference
    assert line["link"] == f"/actions/{demo.actions.picture.pk}/"
    assert line["read"] is False and line["created_at"]


@pytest.mark.usefixtures("update_posted")
def test_unread_count_mark_read_and_mark_all_read(demo, client_for) -> None:
    client = client_for(demo.carl)
    unread = client.get("/api/v1/notifications/unread-count/").json()["unread"]
    assert unread >= 1
    newest = client.get("/api/v1/notifications/?unread=true").json()["results"][0]
    response = client.post(f"/api/v1/notifications/{newest['id']}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get("/api/v1/notifications/unread-count/").json()["unread"] == unread - 1
    assert client.post("/api/v1/notifications/read-all/").json()["marked"] == unread - 1
    assert client.get("/api/v1/notifications/unread-count/").json()["unread"] == 0


@pytest.mark.usefixtures("update_posted")
def test_nobody_marks_another_users_notification_read(demo, client_for) -> None:
    carls = Notification.objects.filter(recipient=demo.carl).first()
    response = client_for(demo.sara).post(f"/api/v1/notifications/{carls.pk}/read/")
    assert response.status_code == 404
    carls.refresh_from_db()
    assert carls.read_at is None


def test_anonymous_gets_no_inbox() -> None:
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_preferences_show_every_kind_and_change_only_those_named(demo, client_for) -> None:
    client = client_for(demo.olle)
    current = client.get("/api/v1/notifications/preferences/").json()
    assert set(current["email"]) == set(EventKind.values) | set(Ask.values)
    assert current["email"][Ask.INVITATION] == EmailMode.IMMEDIATELY  # asks: at once
    assert current["language"] == "sv"
    response = client.put(
        "/api/v1/notifications/preferences/",
        {"language": "en", "email": {EventKind.ACTION_OVERDUE: EmailMode.IMMEDIATELY}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en"
    assert response.json()["email"][EventKind.ACTION_OVERDUE] == EmailMode.IMMEDIATELY
    assert response.json()["email"][EventKind.ACTION_CREATED] == EmailMode.DIGEST  # default


def test_bad_preferences_get_field_errors_and_change_nothing(demo, client_for) -> None:
    client = client_for(demo.olle)
    response = client.put(
        "/api/v1/notifications/preferences/",
        {"language": "fi", "email": {"no.such.kind": "off", EventKind.ACTION_CREATED: "loud"}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"language", "email"}
    assert client.get("/api/v1/notifications/preferences/").json()["language"] == "sv"


def test_follow_and_unfollow_a_visible_case(demo, client_for) -> None:
    client = client_for(demo.eve)
    url = f"/api/v1/cases/{demo.public.pk}/follow/"
    assert client.get(url).json() == {"following": False}
    assert client.post(url).status_code == 201
    assert client.post(url).status_code == 200
    assert CaseFollow.objects.filter(user=demo.eve, case=demo.public).count() == 1
    assert client.delete(url).status_code == 204
    assert client.get(url).json() == {"following": False}


def test_following_a_restricted_case_you_cannot_see_is_a_404(demo, client_for) -> None:
    response = client_for(demo.eve).post(f"/api/v1/cases/{demo.care.pk}/follow/")
    assert response.status_code == 404
    assert not CaseFollow.objects.filter(user=demo.eve, case=demo.care).exists()
