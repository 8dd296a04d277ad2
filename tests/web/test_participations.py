"""Managing an organisation's part in a case: mandate, contact person, role, withdrawal."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agencies.services import membership_set
from cases import services
from cases.choices import ParticipationRole, ParticipationState
from cases.models import Participation
from tests.factories import OrganisationFactory, UserFactory
from tests.former_participants import former_participant
from tests.helpers import nothing_written

from .test_forms import field_error, post

pytestmark = pytest.mark.django_db


def _participation(case, organisation) -> Participation:
    return Participation.objects.get(case=case, organisation=organisation)


def _edit_url(participation: Participation) -> str:
    return reverse("participation_edit", args=[participation.pk])


def _withdraw_url(participation: Participation) -> str:
    return reverse("participation_withdraw", args=[participation.pk])


def test_case_page_offers_edit_and_withdraw_only_for_the_users_own_organisation(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    sodertalje = _participation(demo.youth, demo.orgs.sodertalje)
    html = client_for(demo.petra).get(reverse("case_detail", args=[demo.youth.reference])).content
    html = html.decode()
    assert _edit_url(police) in html and _withdraw_url(police) in html
    assert _edit_url(sodertalje) not in html and _withdraw_url(sodertalje) not in html


def test_committee_sees_edit_and_withdraw_for_every_current_participant(demo, client_for):
    url = reverse("case_detail", args=[demo.youth.reference])
    html = client_for(demo.anna).get(url).content.decode()
    for organisation in (demo.orgs.police, demo.orgs.sodertalje, demo.orgs.fryshuset):
        participation = _participation(demo.youth, organisation)
        assert _edit_url(participation) in html and _withdraw_url(participation) in html


def test_observer_without_rights_sees_no_change_links(demo, client_for):
    html = client_for(demo.eve).get(reverse("case_detail", args=[demo.public.reference]))
    assert "/participations/" not in html.content.decode()


def test_organisation_admin_changes_mandate_and_contact_person(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    colleague = UserFactory(first_name="Kim", last_name="Kollega")
    membership_set(user=colleague, organisation=demo.orgs.police, role="member")
    client = client_for(demo.petra)
    form_html = client.get(_edit_url(police)).content.decode()
    assert 'name="role"' not in form_html
    search = re.search(r'data-search-url="([^"]*/people/search/[^"]*)"', form_html).group(1)
    found = client.get(search.replace("&amp;", "&") + "&q=kim").content.decode()
    assert "Kim Kollega" in found  # the contact person picker finds the colleague
    data = {"mandate": "Får besluta om lokala resurser.", "contact_person": colleague.pk}
    response = client.post(_edit_url(police), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{demo.youth.reference}/#participants")
    police.refresh_from_db()
    assert police.mandate == "Får besluta om lokala resurser."
    assert police.contact_person == colleague
    assert police.role == ParticipationRole.PARTNER
    page = client.get(response["Location"]).content.decode()
    assert "The participation was saved." in page and "Kim Kollega" in page


def test_case_manager_changes_the_role(demo, client_for):
    fryshuset = _participation(demo.youth, demo.orgs.fryshuset)
    client = client_for(demo.carl)
    assert 'name="role"' in client.get(_edit_url(fryshuset)).content.decode()
    data = {"role": ParticipationRole.CONTRIBUTOR, "mandate": "Bidrar med fältarbete."}
    assert client.post(_edit_url(fryshuset), data).status_code == 302
    fryshuset.refresh_from_db()
    assert fryshuset.role == ParticipationRole.CONTRIBUTOR
    assert fryshuset.contact_person is None


def test_partner_posting_a_role_anyway_cannot_change_it(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    data = {"role": ParticipationRole.LEAD, "mandate": police.mandate}
    data["contact_person"] = demo.petra.pk
    client_for(demo.petra).post(_edit_url(police), data)
    police.refresh_from_db()
    assert police.role == ParticipationRole.PARTNER


def test_second_lead_is_refused_by_the_role_field_and_nothing_written(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    data = {"role": ParticipationRole.LEAD, "mandate": "x", "contact_person": demo.petra.pk}
    with nothing_written():
        html = post(client_for(demo.anna), _edit_url(police), data)
    assert "already has a lead organisation" in field_error(html, "role")


def test_contact_person_outside_the_organisation_is_refused_by_the_field(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    data = {"mandate": "x", "contact_person": demo.sara.pk}
    with nothing_written():
        html = post(client_for(demo.petra), _edit_url(police), data)
    assert "valid choice" in field_error(html, "contact_person")


def test_mandate_with_a_nul_byte_is_refused_by_the_mandate_field(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    with nothing_written():
        html = post(client_for(demo.petra), _edit_url(police), {"mandate": "a\x00b"})
    assert field_error(html, "mandate")


def test_admin_of_another_organisation_gets_403_on_a_visible_participation(demo, client_for):
    sodertalje = _participation(demo.youth, demo.orgs.sodertalje)
    client = client_for(demo.petra)
    for url in (_edit_url(sodertalje), _withdraw_url(sodertalje)):
        assert client.get(url).status_code == 403
        with nothing_written():
            assert client.post(url, {"mandate": "x", "reason": "x"}).status_code == 403


def test_participation_on_a_case_the_user_cannot_see_is_404(demo, client_for):
    hidden = Participation.objects.filter(case=demo.care).first()
    client = client_for(demo.petra)
    for url in (_edit_url(hidden), _withdraw_url(hidden), "/participations/999999999/edit/"):
        assert client.get(url).status_code == 404
        with nothing_written():
            assert client.post(url, {"reason": "x"}).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(demo, client):
    police = _participation(demo.youth, demo.orgs.police)
    response = client.get(_edit_url(police))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_withdraw_page_asks_for_confirmation_and_records_the_reason(demo, client_for):
    fryshuset = _participation(demo.youth, demo.orgs.fryshuset)
    client = client_for(demo.olle)
    page = client.get(_withdraw_url(fryshuset)).content.decode()
    assert "Withdraw Fryshuset from the case" in page and 'name="reason"' in page
    assert _participation(demo.youth, demo.orgs.fryshuset).state == ParticipationState.ACTIVE
    response = client.post(_withdraw_url(fryshuset), {"reason": "Arbetet är överlämnat."})
    assert response.status_code == 302
    fryshuset.refresh_from_db()
    assert fryshuset.state == ParticipationState.WITHDRAWN
    history = fryshuset.history.order_by("-history_date").first()
    assert history.history_change_reason == "Arbetet är överlämnat."
    html = client.get(response["Location"]).content.decode()
    assert "Fryshuset has withdrawn from the case." in html
    assert _withdraw_url(fryshuset) not in html


def test_withdrawing_while_leading_open_actions_shows_the_error_and_writes_nothing(
    demo, client_for
):
    police = _participation(demo.youth, demo.orgs.police)
    with nothing_written():
        html = post(client_for(demo.petra), _withdraw_url(police), {"reason": "Vi går ur."})
    assert "The form could not be saved" in html
    assert "still leads open actions: hand them over first" in html
    police.refresh_from_db()
    assert police.state == ParticipationState.ACTIVE


def test_withdraw_reason_longer_than_allowed_is_refused_by_the_field(demo, client_for):
    fryshuset = _participation(demo.youth, demo.orgs.fryshuset)
    with nothing_written():
        html = post(client_for(demo.olle), _withdraw_url(fryshuset), {"reason": "x" * 2001})
    assert field_error(html, "reason")


def test_withdraw_and_edit_pages_are_translated_to_swedish(demo, client_for):
    police = _participation(demo.youth, demo.orgs.police)
    client = client_for(demo.petra, "sv")
    edit = client.get(_edit_url(police)).content.decode()
    withdraw = client.get(_withdraw_url(police)).content.decode()
    assert "Ändra deltagandet för Polismyndigheten" in edit and "Edit the participation" not in edit
    assert "Låt Polismyndigheten utträda ur ärendet" in withdraw and "Withdraw" not in withdraw


@pytest.mark.parametrize("withdrew", [False, True], ids=["declined", "withdrawn"])
def test_former_participant_finds_none_of_the_participation_pages_nor_the_case(
    demo, client_for, withdrew
):
    admin, participation = former_participant(demo, withdrew=withdrew)
    client = client_for(admin)
    pages = (
        reverse("invitation_answer", args=[participation.pk]),
        _edit_url(participation),
        _withdraw_url(participation),
    )
    for url in pages:
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert demo.youth.title not in html and demo.youth.summary not in html
        body = {"answer": "accept", "mandate": "Vi är tillbaka.", "reason": "x"}
        with nothing_written():
            assert client.post(url, body).status_code == 404, url


def test_invited_organisation_still_reads_its_invitation_and_the_case_overview(demo, client_for):
    admin = UserFactory(username="invited-admin")
    organisation = OrganisationFactory(name="Inbjuden förening")
    membership_set(user=admin, organisation=organisation, role="admin")
    invitation = services.participation_invite(
        actor=demo.anna, case=demo.youth, organisation=organisation, role="contributor"
    )
    html = client_for(admin).get(reverse("invitation_answer", args=[invitation.pk]))
    assert html.status_code == 200 and demo.youth.title in html.content.decode()


def test_committee_still_sees_a_withdrawn_participation_but_cannot_edit_it(demo, client_for):
    _admin, participation = former_participant(demo, withdrew=True)
    client = client_for(demo.anna)
    page = client.get(_withdraw_url(participation))
    assert page.status_code == 200 and demo.youth.title in page.content.decode()
    with nothing_written():
        data = {"role": "contributor", "mandate": "Ändrat i efterhand."}
        html = post(client, _edit_url(participation), data)
    assert "not part of the case" in html


def test_user_who_loses_the_case_by_withdrawing_lands_on_the_dashboard_not_a_404(demo, client_for):
    fryshuset = _participation(demo.youth, demo.orgs.fryshuset)
    client = client_for(demo.olle)
    response = client.post(_withdraw_url(fryshuset), {"reason": "Vi lämnar."})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(response["Location"]).status_code == 200


def test_manager_who_withdraws_an_organisation_returns_to_the_case_page(demo, client_for):
    fryshuset = _participation(demo.youth, demo.orgs.fryshuset)
    response = client_for(demo.anna).post(_withdraw_url(fryshuset), {"reason": "Avslutat."})
    assert response.status_code == 302 and demo.youth.reference in response["Location"]
