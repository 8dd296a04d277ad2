"""The type-ahead pickers' search: what it finds, how much, for whom, and the forms using it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.widgets import PickerScope
from cases.models import Participation
from tests.factories import OrganisationFactory
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

EVERYONE = PickerScope(active_only=True)
AREAS = PickerScope(kinds=("region", "municipality"), active_only=False)


def _search(client: Client, query: str, scope: PickerScope = EVERYONE, **extra: str):
    params = {"scope": scope.sign(), "q": query, **extra}
    return client.get(reverse("organisation_search"), params)


def _names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return re.findall(r'role="option"[^>]*data-label="([^"]*)"', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lund", "Lunds kommun"),  # short name
        ("Falu kommun", "Falu kommun"),  # legal name
        ("Stockholms kommun", "Stockholms stad"),  # legal name of a city
        ("göteb", "Göteborgs Stad"),  # common name, start of a word
        ("goteborg", "Göteborgs Stad"),  # without the Swedish letters
        ("GÖTEBORGS STAD", "Göteborgs Stad"),  # case does not matter
        ("1281", "Lunds kommun"),  # kommunkod
        ("202100-5448", "Skatteverket"),  # organisationsnummer
        ("2021005448", "Skatteverket"),  # the same without the hyphen
        ("region skåne", "Region Skåne"),  # every word must match
    ],
)
def test_search_finds_an_organisation_by_any_name_or_code(demo, client_for, query, expected):
    assert expected in _names(_search(client_for(demo.anna, "sv"), query))


def test_search_finds_a_region_by_its_county_code_within_the_areas(demo, client_for):
    names = _names(_search(client_for(demo.anna), "12", AREAS))
    assert "Region Skåne" in names


def test_the_best_match_comes_first(demo, client_for):
    assert _names(_search(client_for(demo.anna), "lund"))[0] == "Lunds kommun"


def test_search_shows_at_most_twenty_and_says_there_are_more(demo, client_for):
    response = _search(client_for(demo.anna), "kommun", status="id_organisation_listbox_status")
    assert len(_names(response)) == 20
    html = response.content.decode()
    assert 'id="id_organisation_listbox_status" hx-swap-oob="innerHTML"' in html
    assert "type more" in html


def test_search_says_when_nothing_matches(demo, client_for):
    response = _search(client_for(demo.anna), "zzqx", status="s")
    assert _names(response) == []
    assert "Nothing matches “zzqx”" in response.content.decode()


def test_search_answers_in_swedish(demo, client_for):
    response = _search(client_for(demo.anna, "sv"), "zzqx", status="s")
    assert "Inget matchar" in response.content.decode()


def test_search_escapes_names_and_the_query(demo, client_for):
    OrganisationFactory(name='<b onmouseover="x">Elaka föreningen</b>')
    client = client_for(demo.anna)
    html = _search(client, "elaka", status="s").content.decode()
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;Elaka föreningen&lt;/b&gt;" in html
    html = _search(client, "<script>alert(1)</script>", status="s").content.decode()
    assert "<script>" not in html and "“&lt;script&gt;alert(1)&lt;/script&gt;”" in html


def test_a_status_id_that_is_not_an_id_is_ignored(demo, client_for):
    response = _search(client_for(demo.anna), "lund", status='x" onclick="alert(1)')
    assert "hx-swap-oob" not in response.content.decode()


def test_areas_scope_offers_no_agencies_and_the_default_no_inactive(demo, client_for):
    client = client_for(demo.anna)
    assert _names(_search(client, "polismyndigheten", AREAS)) == []
    OrganisationFactory(name="Nedlagda förbundet", is_active=False)
    assert _names(_search(client, "nedlagda")) == []


def test_excluded_organisations_are_not_offered(demo, client_for):
    scope = PickerScope(exclude_ids=(demo.orgs.police.pk,))
    assert "Polismyndigheten" not in _names(_search(client_for(demo.anna), "polis", scope))


def test_a_scope_not_signed_by_the_server_is_a_bad_request(demo, client_for):
    client = client_for(demo.anna)
    token = EVERYONE.sign()
    for scope in ["", "not-a-scope", token[:-2] + "xx"]:
        response = client.get(reverse("organisation_search"), {"scope": scope, "q": "lund"})
        assert response.status_code == 400


def test_search_is_for_signed_in_users_only(demo):
    response = _search(Client(), "lund")
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_empty_query_lists_nothing(demo, client_for):
    assert _names(_search(client_for(demo.anna), "   ")) == []


@pytest.mark.parametrize("query", ["lunds kommun", "kommun"])
def test_search_query_count_is_the_same_for_one_and_many_matches(
    demo, client_for, django_assert_num_queries, query
):
    client = client_for(demo.anna)
    _search(client, "warm-up")
    # session, user, the search itself (one LIMIT 21 query)
    with django_assert_num_queries(3):
        _search(client, query)


def test_search_reads_a_page_with_limit_in_sql(demo, client_for):
    client = client_for(demo.anna)
    with CaptureQueriesContext(connection) as queries:
        _search(client, "kommun")
    search = [q["sql"] for q in queries.captured_queries if "search_text" in q["sql"]]
    assert len(search) == 1 and "LIMIT 21" in search[0]


# The forms using the pickers


def _scope_of(html: str) -> PickerScope:
    match = re.search(r'data-search-url="([^"]*/organisations/search/[^"]+)"', html)
    assert match, "no organisation picker on the page"
    url = match.group(1).replace("&amp;", "&")
    return PickerScope.unsign(parse_qs(urlparse(url).query)["scope"][0])


def test_invite_form_offers_a_picker_without_the_organisations_taking_part(demo, client_for):
    response = client_for(demo.anna).get(
        reverse("participation_invite", args=[demo.youth.reference])
    )
    html = response.content.decode()
    assert 'role="combobox"' in html and 'aria-controls="id_organisation_listbox"' in html
    taking_part = set(
        Participation.objects.filter(case=demo.youth, state__in=["invited", "active"]).values_list(
            "organisation_id", flat=True
        )
    )
    assert demo.orgs.police.pk in taking_part
    assert set(_scope_of(html).exclude_ids) == taking_part
    # The plain select holds only what is chosen (nothing yet), never every organisation.
    select = re.search(r'<select name="organisation".*?</select>', html, re.S).group(0)
    assert select.count("<option") == 1
    assert 'name="organisation_search"' in html


def test_invite_form_without_script_searches_within_the_allowed_organisations(demo, client_for):
    url = reverse("participation_invite", args=[demo.youth.reference])
    with nothing_written():
        response = client_for(demo.anna).post(
            url, {"organisation_search": demo.orgs.police.name, "role": "partner"}
        )
    html = response.content.decode()
    # The police take part already: not a match, so nothing is chosen and the form says so.
    assert f'<option value="{demo.orgs.police.pk}"' not in html
    assert f"Nothing matches “{demo.orgs.police.name}”" in html


def test_inviting_an_organisation_taking_part_is_an_error_by_the_field(demo, client_for):
    url = reverse("participation_invite", args=[demo.youth.reference])
    with nothing_written():
        response = client_for(demo.anna).post(
            url, {"organisation": demo.orgs.police.pk, "role": "partner"}
        )
    html = response.content.decode()
    assert re.search(r'id="id_organisation_errors">.*already invited', html, re.S)


def test_inviting_an_organisation_chosen_in_the_picker_works(demo, client_for):
    lund = Organisation.objects.get(municipality_code="1281")
    url = reverse("participation_invite", args=[demo.youth.reference])
    response = client_for(demo.anna).post(url, {"organisation": lund.pk, "role": "partner"})
    assert response.status_code == 302
    assert Participation.objects.filter(case=demo.youth, organisation=lund).exists()


def test_case_form_areas_picker_offers_regions_and_municipalities(demo, client_for):
    html = client_for(demo.anna).get(reverse("case_edit", args=[demo.youth.reference]))
    html = html.content.decode()
    scope = _scope_of(html)
    assert set(scope.kinds) == {OrganisationKind.REGION, OrganisationKind.MUNICIPALITY}
    assert 'aria-multiselectable="true"' in html
    # The case's current areas are shown as removable chips.
    for area in demo.youth.scope_areas.all():
        assert f"Remove {area.name}" in html


def test_case_form_refuses_an_area_that_is_not_a_region_or_municipality(demo, client_for):
    case = demo.youth
    data = {
        "title": case.title,
        "summary": case.summary,
        "problem_description": case.problem_description,
        "theme": case.theme_id,
        "priority": case.priority,
        "visibility": case.visibility,
        "coordinator": case.coordinator_id,
        "scope_areas": [demo.orgs.police.pk],
        "version": case.version,
    }
    with nothing_written():
        response = client_for(demo.anna).post(reverse("case_edit", args=[case.reference]), data)
    html = response.content.decode()
    assert re.search(r'id="id_scope_areas_errors">.*valid choice', html, re.S)


def test_directory_search_finds_a_municipality_by_its_legal_name(demo, client):
    response = client.get(reverse("organisation_directory"), {"q": "stockholms kommun"})
    html = response.content.decode()
    assert "Stockholms stad" in html


def test_inviting_without_script_by_a_unique_search_works(demo, client_for):
    url = reverse("participation_invite", args=[demo.youth.reference])
    response = client_for(demo.anna).post(url, {"organisation_search": "1281", "role": "partner"})
    assert response.status_code == 302
    lund = Organisation.objects.get(municipality_code="1281")
    assert Participation.objects.filter(case=demo.youth, organisation=lund).exists()


def test_an_ambiguous_search_offers_its_matches_to_choose_from(demo, client_for):
    url = reverse("participation_invite", args=[demo.youth.reference])
    with nothing_written():
        response = client_for(demo.anna).post(
            url, {"organisation_search": "stad", "role": "partner"}
        )
    html = response.content.decode()
    assert "choose one in the list above" in html
    offered = re.findall(r'<option value="(\d+)"', html)
    assert 1 < len(offered) <= 20
    assert str(Organisation.objects.get(name="Göteborgs Stad").pk) in offered


def test_case_list_filters_are_pickers_not_long_selects(demo, client_for):
    html = client_for(demo.anna).get(reverse("case_list")).content.decode()
    # Status, theme and region are short selects; organisation and municipality are pickers.
    assert html.count("<option") < 60
    assert 'name="organisation_search"' in html and 'name="municipality_search"' in html
    assert html.count("data-picker ") + html.count("data-picker>") == 2


def test_case_list_organisation_filter_without_script(demo, client_for):
    client = client_for(demo.anna)
    police = demo.orgs.police
    response = client.get(reverse("case_list"), {"organisation_search": "polismyndigheten"})
    html = response.content.decode()
    assert f'<option value="{police.pk}" selected>' in html
    assert demo.youth.reference in html  # the police take part in the youth crime case
    listed = client.get(reverse("case_list"), {"organisation": police.pk}).content.decode()
    assert re.findall(r"SAM-\d{4}-\d{4}", html) == re.findall(r"SAM-\d{4}-\d{4}", listed)


def test_anonymous_case_list_offers_the_search_without_the_combobox(demo, client):
    html = client.get(reverse("case_list"), {"municipality_search": "1480"}).content.decode()
    assert "data-picker " not in html and "data-picker>" not in html
    goteborg = Organisation.objects.get(municipality_code="1480")
    assert f'<option value="{goteborg.pk}" selected>' in html


# People: the coordinator, assignee and contact person fields are person pickers.


def _person_picker_url(html: str, field: str) -> str:
    found = re.search(rf'data-search-url="([^"]*)"[^>]*>\s*<select[^>]*name="{field}"', html)
    assert found, f"{field} is not a person picker"
    return found.group(1).replace("&amp;", "&")


def _person_names(response) -> list[str]:
    return _names(response)


def test_case_form_offers_no_list_of_every_user_as_coordinator(demo, client_for):
    html = client_for(demo.anna).get(reverse("case_create")).content.decode()
    select = re.search(r'<select[^>]*name="coordinator".*?</select>', html, re.S).group(0)
    assert select.count("<option") <= 1  # only the empty choice: nobody is listed up front
    search = _person_picker_url(html, "coordinator")
    assert _person_names(client_for(demo.anna).get(f"{search}&q=carl")) == ["Carl Claesson"]


def test_assignee_search_offers_members_of_the_working_organisations_only(demo, client_for):
    client = client_for(demo.carl)
    html = client.get(reverse("action_create", args=[demo.youth.reference])).content.decode()
    search = _person_picker_url(html, "assignee")
    assert "Petra Persson" in _person_names(client.get(f"{search}&q=petra"))
    assert _person_names(client.get(f"{search}&q=eve")) == []


def test_a_person_scope_not_signed_by_the_server_is_a_bad_request(demo, client_for):
    response = client_for(demo.anna).get(reverse("person_search"), {"scope": "x", "q": "a"})
    assert response.status_code == 400


def test_person_search_is_for_signed_in_users_only(demo, client):
    response = client.get(reverse("person_search"), {"scope": "x", "q": "petra"})
    assert response.status_code == 302


def test_a_coordinator_is_chosen_without_script_by_a_unique_search(demo, client_for):
    from cases.models import Case

    data = {
        "title": "Trygg skolväg",
        "summary": "Fler barn ska känna sig trygga.",
        "theme": demo.youth.theme_id,
        "priority": "medium",
        "visibility": "restricted",
        "is_national": "on",
        "coordinator_search": "Carl Claesson",
    }
    response = client_for(demo.anna).post(reverse("case_create"), data)
    assert response.status_code == 302
    assert Case.objects.get(title="Trygg skolväg").coordinator == demo.carl
