"""The portfolio's pages: who may open them, what they show, the map and its tables."""

from __future__ import annotations

import csv
import re

import pytest
from django.test import Client
from django.urls import reverse

from agencies.reference import DATA_DIR
from portfolio import geo

pytestmark = pytest.mark.django_db


def _reference(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_committee_member_sees_every_case_with_its_figures_and_flags(demo, client_for) -> None:
    page = client_for(demo.anna).get(reverse("portfolio")).content.decode()
    for case in demo.cases.values():
        assert case.reference in page
    assert "7 cases" in page  # with the closed Malmö case and the lessons demo's two
    assert "All measured outcomes off track" in page
    assert "Carl Claesson" in page  # the coordinator
    assert "Södertälje kommun" in page  # a lead organisation


def test_the_header_offers_the_portfolio_to_committee_members_only(demo, client_for) -> None:
    link = f'href="{reverse("portfolio")}"'
    assert link in client_for(demo.anna).get(reverse("dashboard")).content.decode()
    assert link not in client_for(demo.sara).get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("persona", ["carl", "sara", "petra", "olle", "eve"])
def test_the_full_portfolio_is_refused_to_everyone_but_the_committee(demo, client_for, persona):
    user = getattr(demo, persona)
    for name in ["portfolio", "portfolio_map", "portfolio_collaboration"]:
        assert client_for(user).get(reverse(name)).status_code == 403
    assert client_for(user).get(reverse("portfolio_county", args=["01"])).status_code == 403


def test_an_anonymous_visitor_is_asked_to_sign_in_for_the_full_portfolio(demo) -> None:
    response = Client().get(reverse("portfolio"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_public_portfolio_shows_public_cases_and_names_no_person(demo) -> None:
    page = Client().get(reverse("public_portfolio")).content.decode()
    assert demo.public.reference in page
    assert demo.youth.reference not in page and demo.care.reference not in page
    assert "Anna" not in page and "Coordinator" not in page
    assert "Needs the committee" not in page


def test_filters_narrow_the_portfolio_and_a_bad_value_is_shown_by_its_field(demo, client_for):
    client = client_for(demo.anna)
    page = client.get(reverse("portfolio"), {"flag": "off_track"}).content.decode()
    assert demo.care.reference in page and demo.school.reference in page
    assert demo.youth.reference not in page
    page = client.get(reverse("portfolio"), {"region": "12"}).content.decode()
    assert demo.care.reference in page and demo.youth.reference not in page
    response = client.get(reverse("portfolio"), {"status": "nonsense", "sort": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_sorting_by_overdue_actions_puts_the_most_overdue_first(demo, client_for) -> None:
    page = client_for(demo.anna).get(reverse("portfolio"), {"sort": "-overdue"}).content.decode()
    order = [page.index(c.reference) for c in (demo.school, demo.youth, demo.care)]
    # youth and school have one overdue action each (newest id first among equals), care none
    assert max(order[:2]) < order[2]


def test_every_lan_of_the_reference_data_has_a_shape_on_the_map() -> None:
    codes = {row["county_code"] for row in _reference("counties.csv")}
    assert len(codes) == 21
    assert set(geo.sweden().shapes) == codes
    assert all(shape.path.startswith("M") for shape in geo.sweden().shapes.values())


def test_the_map_draws_21_lan_with_the_numbers_in_a_table_beside_it(demo, client_for) -> None:
    page = client_for(demo.anna).get(reverse("portfolio_map")).content.decode()
    assert page.count('<path class="map-area') == 21
    table = page[page.index('id="counties-caption"') :]
    for row in _reference("counties.csv"):
        assert row["county_name"] in table
    assert re.search(r"Stockholms län</a></th><td class=\"number\">2</td>", page)
    assert "okfse/sweden-geojson" in page  # the outlines' attribution


def test_the_municipality_view_shows_each_municipality_of_the_lan(demo, client_for) -> None:
    page = client_for(demo.anna).get(reverse("portfolio_county", args=["12"])).content.decode()
    skane = [row for row in _reference("municipalities.csv") if row["county_code"] == "12"]
    assert len(skane) == 33
    for row in skane:
        assert f"<td>{row['municipality_code']}</td>" in page
    assert page.count('<path class="map-area') == 33
    assert re.search(r"Malmö stad</th><td class=\"number\">1</td>", page)
    assert client_for(demo.anna).get(reverse("portfolio_county", args=["99"])).status_code == 404


def test_every_lan_has_each_of_its_municipalities_outlined() -> None:
    for county in geo.counties():
        codes = {area.code for area in geo.municipalities_of(county.code)}
        assert set(geo.county_drawing(county.code).shapes) == codes, county.name


def test_the_collaboration_page_shows_the_matrix_key_figures_and_partners(demo, client_for):
    client = client_for(demo.anna)
    page = client.get(reverse("portfolio_collaboration")).content.decode()
    assert "33 %" in page and "(3 of 9)" in page  # actions with two or more organisations
    assert "14 %" in page and "(1 of 7)" in page  # cases with three or more sectors
    assert "Cases: 4, actions: 2" in page  # municipality with region
    page = client.get(
        reverse("portfolio_collaboration"), {"organisation": demo.orgs.sodertalje.pk}
    ).content.decode()
    assert "Organisations working with Södertälje kommun" in page
    assert "Polismyndigheten" in page and "Fryshuset" in page


def test_the_pages_are_in_swedish_by_default(demo, client_for) -> None:
    page = client_for(demo.anna, "sv").get(reverse("portfolio_map")).content.decode()
    assert "Karta över Sverige" in page and "Aktiva ärenden per län" in page


def test_the_committee_filters_the_portfolio_by_coordinator_with_a_person_picker(
    demo, client_for
) -> None:
    client = client_for(demo.anna)
    page = client.get(reverse("portfolio"), {"coordinator": demo.carl.pk}).content.decode()
    assert demo.youth.reference in page and demo.school.reference in page
    assert demo.care.reference not in page and demo.public.reference not in page
    assert "/people/search/" in page  # a type-ahead picker, not a list of every user
    assert 'name="coordinator_search"' in page  # and its no-script search
