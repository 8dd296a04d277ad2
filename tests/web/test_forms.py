"""Every form: an invalid submission shows errors by the field and writes nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases.models import Case, Outcome, Participation
from cases.services import participation_invite
from notifications.models import NotificationPreference
from tests.factories import OrganisationFactory
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def field_error(html: str, field: str) -> str:
    """The error text shown next to a field, tied to its input by aria-describedby."""
    match = re.search(rf'<ul class="errors" id="id_{field}_errors">(.*?)</ul>', html, re.S)
    assert match, f"no error shown by {field}"
    assert 'aria-describedby="' in html and f"id_{field}_errors" in html
    return re.sub(r"<[^>]+>", "", match.group(1))


def post(client, url: str, data: dict) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_committee_member_sees_missing_case_fields_by_the_fields(demo, client_for):
    with nothing_written():
        html = post(client_for(demo.anna), reverse("case_create"), {"title": ""})
    assert "This field is required" in field_error(html, "title")
    assert field_error(html, "summary")
    assert 'aria-invalid="true"' in html


def test_case_without_scope_shows_the_services_error_by_the_scope_field(demo, client_for):
    data = {"title": "T", "summary": "S", "theme": demo.youth.theme.pk, "priority": "medium"}
    data["visibility"] = "restricted"
    with nothing_written():
        html = post(client_for(demo.anna), reverse("case_create"), data)
    assert "national" in field_error(html, "scope_areas")


def test_case_valid_form_registers_the_case_and_shows_it(demo, client_for):
    data = {
        "title": "Skolfrånvaro",
        "summary": "S",
        "theme": demo.youth.theme.pk,
        "priority": "medium",
        "visibility": "restricted",
        "is_national": "on",
    }
    response = client_for(demo.anna).post(reverse("case_create"), data, follow=True)
    assert response.status_code == 200
    assert Case.objects.filter(title="Skolfrånvaro").exists()
    assert "Skolfrånvaro" in response.content.decode()


def test_case_edit_with_target_before_start_shows_the_date_error(demo, client_for):
    case = demo.youth
    data = {
        "title": case.title,
        "summary": case.summary,
        "theme": case.theme_id,
        "priority": case.priority,
        "visibility": case.visibility,
        "coordinator": case.coordinator_id,
        "scope_areas": [a.pk for a in case.scope_areas.all()],
        "start_date": "2026-05-01",
        "target_date": "2026-01-01",
        "version": case.version,
    }
    with nothing_written():
        html = post(client_for(demo.carl), reverse("case_edit", args=[case.reference]), data)
    assert "before the start date" in field_error(html, "target_date")


def test_stale_case_edit_is_refused_with_a_reload_message(demo, client_for):
    case = demo.youth
    data = {
        "title": "Changed",
        "summary": case.summary,
        "theme": case.theme_id,
        "priority": case.priority,
        "visibility": case.visibility,
        "scope_areas": [a.pk for a in case.scope_areas.all()],
        "version": case.version - 1 if case.version > 1 else 999,
    }
    with nothing_written():
        html = post(client_for(demo.anna), reverse("case_edit", args=[case.reference]), data)
    assert "Someone else changed this" in html


def test_status_change_without_reason_is_refused_by_the_reason_field(demo, client_for):
    url = reverse("case_transition", args=[demo.youth.reference])
    with nothing_written():
        html = post(client_for(demo.anna), url, {"to_status": "on_hold", "reason": ""})
    assert field_error(html, "reason")


def test_status_change_to_a_status_the_workflow_forbids_is_refused(demo, client_for):
    url = reverse("case_transition", args=[demo.youth.reference])
    with nothing_written():
        html = post(client_for(demo.anna), url, {"to_status": "closed", "reason": "Done"})
    assert "Select a valid choice" in field_error(html, "to_status")


def test_inviting_an_organisation_already_taking_part_shows_the_error(demo, client_for):
    url = reverse("participation_invite", args=[demo.youth.reference])
    data = {"organisation": demo.orgs.police.pk, "role": "partner"}
    with nothing_written():
        html = post(client_for(demo.anna), url, data)
    assert "already" in field_error(html, "organisation")


def test_answering_an_invitation_without_choosing_shows_the_error(demo, client_for):
    invitation = participation_invite(
        actor=demo.anna, case=demo.public, organisation=demo.orgs.kiruna, role="observer"
    )
    assert invitation.state == "invited"
    from agencies.services import membership_set

    membership_set(user=demo.eve, organisation=demo.orgs.kiruna, role="admin")
    url = reverse("invitation_answer", args=[invitation.pk])
    with nothing_written():
        html = post(client_for(demo.eve), url, {"answer": ""})
    assert field_error(html, "answer")
    invitation.refresh_from_db()
    assert invitation.state == "invited"


def test_contact_person_outside_the_organisation_is_refused(demo, client_for):
    org = OrganisationFactory()
    from agencies.services import membership_set

    membership_set(user=demo.eve, organisation=org, role="admin")
    invitation = participation_invite(
        actor=demo.anna, case=demo.public, organisation=org, role="observer"
    )
    url = reverse("invitation_answer", args=[invitation.pk])
    with nothing_written():
        html = post(
            client_for(demo.eve), url, {"answer": "accept", "contact_person": demo.petra.pk}
        )
    assert "Select a valid choice" in field_error(html, "contact_person")
    assert Participation.objects.get(pk=invitation.pk).state == "invited"


def test_partner_action_with_due_date_before_start_shows_the_date_error(demo, client_for):
    url = reverse("action_create", args=[demo.youth.reference])
    data = {
        "title": "Nattvandring",
        "lead_organisation": demo.orgs.police.pk,
        "status": "planned",
        "start_date": "2026-06-01",
        "due_date": "2026-05-01",
    }
    with nothing_written():
        html = post(client_for(demo.petra), url, data)
    assert "before the start date" in field_error(html, "due_date")


def test_action_dependency_cycle_is_shown_by_the_dependencies(demo, client_for):
    picture, talks = demo.actions.picture, demo.actions.talks
    # talks depends on picture in the demo or not: make picture depend on talks and back.
    client = client_for(demo.anna)
    edit = reverse("action_edit", args=[talks.pk])
    base = {
        "title": talks.title,
        "lead_organisation": talks.lead_organisation_id,
        "status": talks.status,
        "contributors": [o.pk for o in talks.contributors.all()],
    }
    client.post(edit, {**base, "depends_on": [picture.pk]})
    picture_edit = reverse("action_edit", args=[picture.pk])
    data = {
        "title": picture.title,
        "lead_organisation": picture.lead_organisation_id,
        "status": picture.status,
        "contributors": [o.pk for o in picture.contributors.all()],
        "depends_on": [talks.pk],
    }
    with nothing_written():
        html = post(client, picture_edit, data)
    assert "cycle" in field_error(html, "depends_on")


def test_empty_progress_update_is_refused_by_the_text_field(demo, client_for):
    url = reverse("action_detail", args=[demo.actions.picture.pk])
    with nothing_written():
        html = post(client_for(demo.anna), url, {"text": "", "new_status": ""})
    assert field_error(html, "text")


def test_outcome_to_increase_with_a_lower_target_is_refused_by_the_target(demo, client_for):
    url = reverse("outcome_create", args=[demo.youth.reference])
    data = {
        "title": "Fler i skolan",
        "indicator": "Närvaro",
        "unit": "%",
        "direction": "increase",
        "baseline_value": "80",
        "baseline_date": "2025-01-01",
        "target_value": "70",
        "target_date": "2027-01-01",
    }
    with nothing_written():
        html = post(client_for(demo.anna), url, data)
    assert "above the baseline" in field_error(html, "target_value")


def test_measurement_before_the_baseline_is_refused_by_the_date(demo, client_for):
    outcome = Outcome.objects.filter(case=demo.youth).first()
    url = reverse("measurement_report", args=[outcome.pk])
    data = {"organisation": demo.orgs.police.pk, "value": "5", "measured_on": "1990-01-01"}
    with nothing_written():
        html = post(client_for(demo.petra), url, data)
    assert "baseline" in field_error(html, "measured_on")


def test_measurement_with_a_word_for_a_value_is_refused(demo, client_for):
    outcome = Outcome.objects.filter(case=demo.youth).first()
    url = reverse("measurement_report", args=[outcome.pk])
    data = {"organisation": demo.orgs.police.pk, "value": "many", "measured_on": "2026-01-01"}
    with nothing_written():
        html = post(client_for(demo.petra), url, data)
    assert field_error(html, "value")


def test_partner_cannot_report_for_another_organisation(demo, client_for):
    outcome = Outcome.objects.filter(case=demo.youth).first()
    url = reverse("measurement_report", args=[outcome.pk])
    data = {"organisation": demo.orgs.sodertalje.pk, "value": "5", "measured_on": "2026-01-01"}
    with nothing_written():
        html = post(client_for(demo.petra), url, data)
    assert "Select a valid choice" in field_error(html, "organisation")


def test_unknown_email_mode_is_refused_by_its_field(demo, client_for):
    url = reverse("notification_preferences")
    with nothing_written():
        html = post(client_for(demo.carl), url, {"case.created": "hourly"})
    assert field_error(html, "case.created")
    assert not NotificationPreference.objects.filter(user=demo.carl).exists()


def test_wrong_password_shows_an_error_and_does_not_sign_in(demo, client):
    response = client.post(reverse("login"), {"username": "anna", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_with_a_malformed_address_shows_the_error(demo, client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})
    assert "valid email" in field_error(response.content.decode(), "email")
    assert mailoutbox == []


def test_partner_may_only_choose_their_own_organisation_as_lead(demo, client_for):
    url = reverse("action_create", args=[demo.youth.reference])
    client = client_for(demo.petra)
    html = client.get(url).content.decode()
    lead_select = re.search(r'<select name="lead_organisation".*?</select>', html, re.S).group(0)
    assert "Polismyndigheten" in lead_select and "Södertälje" not in lead_select
    data = {"title": "x", "lead_organisation": demo.orgs.sodertalje.pk, "status": "planned"}
    with nothing_written():
        html = post(client, url, data)
    assert "Select a valid choice" in field_error(html, "lead_organisation")
