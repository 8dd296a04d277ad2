"""The type-ahead pickers in Chromium: keyboard, screen-reader state, chips, axe, no script."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from agencies.models import Organisation
from cases import services
from cases.models import Case, Theme
from tests.browser.axe import axe_violations, describe
from tests.browser.pages import case_url
from tests.browser.picker import combobox, options


def _fresh_case(demo: SimpleNamespace) -> Case:
    """A case of its own, so inviting to it leaves the shared demo cases as they are."""
    return services.case_create(
        actor=demo.anna,
        title="Trygga mötesplatser i Lund",
        summary="Fler unga ska ha en trygg plats efter skolan.",
        theme=Theme.objects.get(slug="housing"),
        scope_areas=[Organisation.objects.get(municipality_code="1281")],
        coordinator=demo.carl,
    )


def _chosen(page: Page, field: str) -> list[str]:
    """The labels of the options chosen in the form's own select (what the form posts)."""
    return page.locator(f"select[name={field}]").evaluate(
        "select => [...select.selectedOptions].filter(o => o.value).map(o => o.textContent.trim())"
    )


def test_invite_form_finds_lund_and_chooses_it_by_keyboard(open_as, site) -> None:
    case = _fresh_case(site.demo)
    page = open_as(site.demo.anna, "sv")
    page.goto(case_url(case, "participation_invite"))
    expect(page.locator("select[name=organisation]")).to_be_hidden()
    # The field's label names the combobox, which the keyboard reaches like any field.
    field = page.get_by_role("combobox", name="Organisation")
    field.focus()
    page.keyboard.type("lund")
    listbox = page.locator("#id_organisation_listbox")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(options(page, "organisation").first).to_contain_text("Lunds kommun")
    expect(page.locator("#id_organisation_listbox_status")).to_contain_text("träff")

    page.keyboard.press("ArrowDown")
    first = options(page, "organisation").first
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    page.keyboard.press("Enter")
    expect(field).to_have_value("Lunds kommun")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    assert _chosen(page, "organisation") == ["Lunds kommun"]

    page.locator("[name=role]").select_option("partner")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    assert case.participations.filter(organisation__municipality_code="1281").exists()


def test_escape_closes_the_list_and_arrows_wrap(open_as, site) -> None:
    page = open_as(site.demo.anna, "en")
    page.goto(case_url(site.demo.youth, "participation_invite"))
    field = combobox(page, "organisation")
    field.focus()
    page.keyboard.type("region")
    expect(options(page, "organisation")).to_have_count(20)
    page.keyboard.press("ArrowUp")  # from nowhere up lands on the last match
    last = options(page, "organisation").last
    expect(field).to_have_attribute("aria-activedescendant", last.get_attribute("id") or "")
    page.keyboard.press("Escape")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).not_to_have_attribute("aria-activedescendant", last.get_attribute("id") or "")
    assert page.url.endswith(case_url(site.demo.youth, "participation_invite"))  # not sent


def test_invite_picker_does_not_offer_an_organisation_taking_part(open_as, site) -> None:
    page = open_as(site.demo.anna, "en")
    page.goto(case_url(site.demo.youth, "participation_invite"))
    combobox(page, "organisation").fill("polismyndigheten")
    expect(page.locator("#id_organisation_listbox_status")).to_contain_text("Nothing matches")
    expect(options(page, "organisation")).to_have_count(0)


def test_case_areas_are_chips_added_and_removed_by_keyboard(open_as, site) -> None:
    page = open_as(site.demo.anna, "en")
    page.goto(reverse("case_create"))
    field = combobox(page, "scope_areas")
    field.focus()
    page.keyboard.type("göteb")
    expect(options(page, "scope_areas")).to_have_count(1)
    page.keyboard.press("Enter")  # the only match is chosen
    expect(field).to_have_value("")  # ready for the next area
    page.keyboard.type("lund")
    expect(options(page, "scope_areas").first).to_contain_text("Lunds kommun")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chips = page.locator("#id_scope_areas_chips li")
    expect(chips).to_have_text(["Göteborgs Stad ×", "Lunds kommun ×"])
    assert _chosen(page, "scope_areas") == ["Göteborgs Stad", "Lunds kommun"]
    expect(page.locator("#id_scope_areas_listbox_status")).to_contain_text("Added: Lunds kommun")

    remove = page.get_by_role("button", name="Remove Göteborgs Stad")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chips).to_have_text(["Lunds kommun ×"])
    assert _chosen(page, "scope_areas") == ["Lunds kommun"]
    expect(field).to_be_focused()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("form", ["invite", "case"])
def test_open_picker_has_no_wcag_21_aa_violations(open_as, site, language, form) -> None:
    page = open_as(site.demo.anna, language)
    if form == "invite":
        page.goto(case_url(site.demo.youth, "participation_invite"))
        field, text = "organisation", "kommun"
    else:
        page.goto(case_url(site.demo.youth, "case_edit"))
        field, text = "scope_areas", "stad"
    combobox(page, field).focus()
    page.keyboard.type(text)
    expect(page.locator(f"#id_{field}_listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    violations = axe_violations(page)
    assert not violations, f"{form} picker open ({language}):\n{describe(violations)}"


def test_without_javascript_the_plain_select_still_chooses(
    browser: Browser, site, open_as: Callable[..., Page]
) -> None:
    page = open_as(site.demo.anna, "en")
    context = browser.new_context(base_url=site.base, java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    plain = context.new_page()
    try:
        plain.goto(case_url(site.demo.youth, "participation_invite"))
        select = plain.locator("select[name=organisation]")
        expect(select).to_be_visible()
        expect(plain.locator("input[role=combobox]")).to_be_hidden()
        expect(plain.get_by_label("Organisation")).to_have_count(1)
    finally:
        context.close()
