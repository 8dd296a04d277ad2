"""The edit forms offer only what the user may change, and ask why authority changes hands."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from cases.choices import ActionStatus, Visibility
from tests.helpers import nothing_written
from tests.web.test_forms import field_error, post

pytestmark = pytest.mark.django_db


def _case_data(case, **changes) -> dict:
    data = {
        "title": case.title,
        "summary": case.summary,
        "problem_description": case.problem_description,
        "theme": case.theme_id,
        "priority": case.priority,
        "visibility": case.visibility,
        "coordinator": case.coordinator_id or "",
        "scope_areas": [a.pk for a in case.scope_areas.all()],
        "version": case.version,
    }
    data.update(changes)
    return data


def _input(html: str, name: str) -> str:
    """The opening tag of the form control named `name` ('' if the page has none)."""
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    return match.group(0) if match else ""


def test_coordinators_case_form_locks_visibility_and_says_who_decides(demo, client_for) -> None:
    html = client_for(demo.carl).get(reverse("case_edit", args=[demo.youth.reference])).content
    html = html.decode()
    assert "disabled" in _input(html, "visibility")
    assert "Only the committee" in html
    assert _input(html, "reason")


def test_coordinators_case_form_offers_no_outsider_as_coordinator(demo, client_for) -> None:
    client = client_for(demo.carl)
    html = client.get(reverse("case_edit", args=[demo.youth.reference])).content.decode()
    picker = re.search(r'data-search-url="([^"]*)"[^>]*>\s*<select[^>]*name="coordinator"', html)
    assert picker, "the coordinator is chosen in a person picker"
    search = unescape(picker.group(1))
    assert "Petra Persson" in client.get(f"{search}&q=petra").content.decode()
    assert "Eve" not in client.get(f"{search}&q=eve").content.decode()


def test_coordinator_handing_the_case_to_an_outsider_is_refused_by_the_field(
    demo, client_for
) -> None:
    url = reverse("case_edit", args=[demo.youth.reference])
    data = _case_data(demo.youth, coordinator=demo.eve.pk, reason="Eve tar över.")
    with nothing_written():
        html = post(client_for(demo.carl), url, data)
    assert field_error(html, "coordinator")
    assert client_for(demo.eve).get(url).status_code == 404


def test_coordinator_posting_public_visibility_leaves_the_case_restricted(demo, client_for) -> None:
    url = reverse("case_edit", args=[demo.youth.reference])
    client_for(demo.carl).post(url, _case_data(demo.youth, visibility="public", reason="Ja."))
    demo.youth.refresh_from_db()
    assert demo.youth.visibility == Visibility.RESTRICTED


def test_coordinator_hands_over_to_a_partner_with_a_reason(demo, client_for) -> None:
    url = reverse("case_edit", args=[demo.youth.reference])
    data = _case_data(demo.youth, coordinator=demo.petra.pk, reason="Polisen tar över.")
    response = client_for(demo.carl).post(url, data)
    # Carl no longer sees the restricted case: he lands on his dashboard, not on a 404.
    assert response.status_code == 302 and response.url == reverse("dashboard")
    demo.youth.refresh_from_db()
    assert demo.youth.coordinator == demo.petra
    assert demo.youth.history.latest("history_id").history_change_reason == "Polisen tar över."


def test_committee_making_the_case_public_without_a_reason_is_asked_for_one(
    demo, client_for
) -> None:
    url = reverse("case_edit", args=[demo.youth.reference])
    with nothing_written():
        html = post(client_for(demo.anna), url, _case_data(demo.youth, visibility="public"))
    assert field_error(html, "reason")


def test_committee_makes_the_case_public_with_a_reason(demo, client_for) -> None:
    url = reverse("case_edit", args=[demo.youth.reference])
    data = _case_data(demo.youth, visibility="public", reason="Nämndens beslut.")
    assert client_for(demo.anna).post(url, data).status_code == 302
    demo.youth.refresh_from_db()
    assert demo.youth.visibility == Visibility.PUBLIC


def test_contributors_action_form_shows_only_the_status(demo, client_for) -> None:
    url = reverse("action_edit", args=[demo.actions.talks.pk])
    html = client_for(demo.petra).get(url).content.decode()
    assert _input(html, "status")
    for name in ("title", "description", "contributors", "due_date", "assignee", "depends_on"):
        assert not _input(html, name), name
    assert "Only the lead organisation" in html


def test_contributor_posting_plan_fields_changes_only_the_status(demo, client_for) -> None:
    talks = demo.actions.talks
    url = reverse("action_edit", args=[talks.pk])
    data = {"title": "Kapad", "contributors": [], "status": "in_progress", "version": talks.version}
    assert client_for(demo.petra).post(url, data).status_code == 302
    talks.refresh_from_db()
    assert talks.title != "Kapad"
    assert talks.status == ActionStatus.IN_PROGRESS
    assert list(talks.contributors.all()) == [demo.orgs.police]


def test_lead_organisations_member_sees_the_whole_action_form(demo, client_for) -> None:
    url = reverse("action_edit", args=[demo.actions.talks.pk])
    html = client_for(demo.sara).get(url).content.decode()
    for name in ("title", "contributors", "due_date", "status"):
        assert _input(html, name), name
