"""The access matrix, persona by persona (PRODUCT.md, "Rules that must always hold")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cases import access, selectors
from cases.models import Case

# Which demo cases each persona sees.
VISIBLE = {
    "anna": {"youth", "school", "care", "public"},  # committee: everything
    "carl": {"youth", "school", "public"},  # coordinator of the youth and school cases
    "petra": {"youth", "public"},  # Polismyndigheten takes part
    "sara": {"youth", "public"},  # Södertälje kommun leads (only invited to the school case)
    "olle": {"youth", "public"},  # Fryshuset observes
    "eve": {"public"},  # Kiruna kommun: in no restricted case
    "anonymous": {"public"},
}

# The lessons demo's two Malmö cases (Malmö stad and Region Skåne take part, maja coordinates):
# of these personas only the committee sees them.
LESSONS_DEMO = ("Trygga unga i Malmö", "Samordnat stöd till äldre i Malmö")


# The demo's closed Malmö case of the effect follow-ups: restricted, led by Malmö stad (no
# persona above belongs to it), so only the committee sees it.
CLOSED_MALMO_CASE = "Trygga skolvägar"


def _user(demo, name):
    return AnonymousUser() if name == "anonymous" else getattr(demo, name)


@pytest.mark.parametrize("persona", VISIBLE)
def test_each_persona_sees_exactly_their_cases(demo, persona) -> None:
    user = _user(demo, persona)
    seen = set(selectors.case_list_for_user(user).values_list("pk", flat=True))
    expected = {demo.cases[key].pk for key in VISIBLE[persona]}
    if persona == "anna":
        expected.add(Case.objects.get(title__startswith=CLOSED_MALMO_CASE).pk)
        expected |= set(Case.objects.filter(title__in=LESSONS_DEMO).values_list("pk", flat=True))
    assert seen == expected
    for key, case in demo.cases.items():
        assert access.can_view_case(user, case) is (key in VISIBLE[persona])


@pytest.mark.parametrize("persona", ["eve", "anonymous", "petra"])
def test_restricted_case_of_others_is_not_found(demo, persona) -> None:
    with pytest.raises(Http404):
        selectors.case_get_for_user(_user(demo, persona), pk=demo.care.pk)


# Who may change which action of the youth case.
CHANGE_ACTION = {
    # picture: led by Polismyndigheten; talks: Södertälje leads, police contributes;
    # fieldwork: Södertälje leads, Region Stockholm contributes; bup: Region Stockholm leads.
    "anna": {"picture", "talks", "fieldwork", "bup"},
    "carl": {"picture", "talks", "fieldwork", "bup"},
    "petra": {"picture", "talks"},
    "sara": {"talks", "fieldwork"},
    "olle": set(),
    "eve": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("persona", CHANGE_ACTION)
def test_partner_changes_only_their_organisations_actions(demo, persona) -> None:
    user = _user(demo, persona)
    for name in ("picture", "talks", "fieldwork", "bup"):
        action = getattr(demo.actions, name)
        assert access.can_change_action(user, action) is (name in CHANGE_ACTION[persona]), name


def test_only_committee_and_coordinator_manage_the_case(demo) -> None:
    managers = {name for name in VISIBLE if access.can_manage_case(_user(demo, name), demo.youth)}
    assert managers == {"anna", "carl"}


def test_only_an_admin_of_the_invited_organisation_answers(demo) -> None:
    participation = demo.youth.participations.get(organisation=demo.orgs.sodertalje)
    answerers = {
        name
        for name in VISIBLE
        if access.can_respond_to_invitation(_user(demo, name), participation)
    }
    assert answerers == {"sara"}


def test_measurements_only_for_own_participating_organisation(demo) -> None:
    outcome = demo.youth.outcomes.first()
    police, kiruna = demo.orgs.police.pk, demo.orgs.kiruna.pk
    assert access.can_report_measurement(demo.petra, outcome, police)
    assert not access.can_report_measurement(demo.sara, outcome, police)
    assert not access.can_report_measurement(demo.eve, outcome, kiruna)
    assert not access.can_report_measurement(demo.olle, outcome, demo.orgs.fryshuset.pk)


def test_withdrawn_organisation_loses_sight_of_the_case(demo) -> None:
    from cases import services

    participation = demo.youth.participations.get(organisation=demo.orgs.fryshuset)
    services.participation_withdraw(actor=demo.olle, participation=participation)
    demo.olle.__dict__.pop("_organisation_ids", None)
    with pytest.raises(Http404):
        selectors.case_get_for_user(demo.olle, pk=demo.youth.pk)
