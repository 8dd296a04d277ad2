"""The main story, end to end in Chromium, through the pages a user sees.

A committee member registers a case and invites an organisation; its admin accepts; the
coordinator adds two actions, one depending on the other, and an outcome; a partner posts an
update (keyboard only) and reports a measurement; the coordinator finds the update in the inbox;
a partner of another organisation gets the 404 page for a restricted case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.models import Case
from tests.browser.keyboard import tab_to
from tests.browser.pages import case_url
from tests.browser.picker import pick

CASE_TITLE = "Trygg skolväg i Södertälje"
FIRST_ACTION = "Kartlägg otrygga platser längs skolvägen"
SECOND_ACTION = "Belysning och vuxennärvaro på utpekade platser"
UPDATE_TEXT = "Kartläggningen är klar för tre av fem skolor."


def _form(page: Page, field: str) -> Locator:
    """The form on the page that holds the named field."""
    return page.locator(f"main form:has([name='{field}'])").first


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, f"{path}: {response.status}"


def _submit(page: Page, form: Locator) -> None:
    with page.expect_navigation() as navigation:
        form.locator("[type=submit]").last.click()
    assert navigation.value.status == 200, f"{navigation.value.url}: {navigation.value.status}"
    errors = page.locator(".errorlist, .errors")
    assert errors.count() == 0, f"the form was refused: {errors.all_inner_texts()}"
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)


def _log_in_by_keyboard(page: Page, username: str, password: str) -> None:
    """Only the keyboard: Tab to each field, type, and press Enter to submit."""
    _visit(page, reverse("login"))
    tab_to(page, page.locator("[name=username]"))
    page.keyboard.type(username)
    tab_to(page, page.locator("[name=password]"), limit=3)
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard")) + "$"))


def _date(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _committee_creates_case_and_invites(page: Page, demo: SimpleNamespace) -> Case:
    _visit(page, reverse("case_create"))
    form = _form(page, "title")
    form.locator("[name=title]").fill(CASE_TITLE)
    form.locator("[name=summary]").fill("Fler barn ska känna sig trygga på väg till skolan.")
    form.locator("[name=problem_description]").fill("Polis och kommun ser olika delar av bilden.")
    form.locator("[name=theme]").select_option(index=1)
    pick(page, "coordinator", "carl", "Carl Claesson")
    pick(page, "scope_areas", "södert", "Södertälje kommun")
    form.locator("[name=start_date]").fill(_date(0))
    form.locator("[name=target_date]").fill(_date(365))
    _submit(page, form)
    expect(page.locator("h1")).to_contain_text(CASE_TITLE)
    case = Case.objects.get(title=CASE_TITLE)
    expect(page).to_have_url(re.compile(re.escape(case_url(case)) + "$"))

    _visit(page, case_url(case, "participation_invite"))
    form = _form(page, "organisation")
    pick(page, "organisation", "polis", "Polismyndigheten")
    form.locator("[name=role]").select_option("partner")
    form.locator("[name=mandate]").fill("Kan prioritera lokala resurser kring skolorna.")
    _submit(page, form)
    expect(page.locator("main")).to_contain_text("Polismyndigheten")
    return case


def _admin_accepts(page: Page, case: Case) -> None:
    """Petra, Polismyndigheten's admin, finds the invitation on her dashboard and accepts."""
    participation = case.participations.get(organisation__name="Polismyndigheten")
    _visit(page, reverse("dashboard"))
    expect(page.locator("main")).to_contain_text(CASE_TITLE)
    answer_url = reverse("invitation_answer", args=[participation.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{answer_url}']").first.click()
    form = _form(page, "answer")
    form.locator("[name=answer][value=accept]").check()
    pick(page, "contact_person", "pet", "Petra Persson")
    _submit(page, form)
    _visit(page, case_url(case))  # the case now exists for Petra, with her organisation active
    participants = page.get_by_role("region", name="Participants")
    row = participants.locator("tr", has_text="Polismyndigheten")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Petra Persson")


def _coordinator_adds_actions_and_outcome(page: Page, case: Case) -> None:
    _visit(page, case_url(case, "action_create"))
    form = _form(page, "title")
    form.locator("[name=title]").fill(FIRST_ACTION)
    form.locator("[name=lead_organisation]").select_option(label="Polismyndigheten")
    pick(page, "assignee", "Petra", "Petra Persson")
    form.locator("[name=due_date]").fill(_date(30))
    _submit(page, form)

    _visit(page, case_url(case, "action_create"))
    form = _form(page, "title")
    form.locator("[name=title]").fill(SECOND_ACTION)
    form.locator("[name=lead_organisation]").select_option(label="Polismyndigheten")
    form.get_by_label(re.compile(FIRST_ACTION)).check()
    form.locator("[name=due_date]").fill(_date(90))
    _submit(page, form)
    _visit(page, case_url(case))
    # The case page shows what the second action waits for: the silo problem made visible.
    actions = page.get_by_role("region", name="Actions")
    second = actions.locator("li", has=page.get_by_role("link", name=SECOND_ACTION, exact=True))
    expect(second).to_contain_text(f"Waiting for Polismyndigheten: {FIRST_ACTION}")

    _visit(page, case_url(case, "outcome_create"))
    form = _form(page, "indicator")
    form.locator("[name=title]").fill("Tryggare skolväg")
    form.locator("[name=indicator]").fill("Andel elever som känner sig trygga på skolvägen")
    form.locator("[name=unit]").fill("%")
    form.locator("[name=direction]").select_option("increase")
    form.locator("[name=baseline_value]").fill("61")
    form.locator("[name=baseline_date]").fill(_date(-30))
    form.locator("[name=target_value]").fill("80")
    form.locator("[name=target_date]").fill(_date(365))
    _submit(page, form)


def _partner_posts_update_by_keyboard(page: Page, case: Case) -> None:
    action = case.actions.get(title=FIRST_ACTION)
    _visit(page, reverse("action_detail", args=[action.pk]))
    tab_to(page, page.locator("[name=text]"))
    page.keyboard.type(UPDATE_TEXT)
    tab_to(page, page.locator("[name=new_status]"), limit=3)
    # A focused select picks the option whose label starts with the typed letters (no space:
    # Space opens the list).
    page.keyboard.type("In")
    expect(page.locator("[name=new_status]")).to_have_value("in_progress")
    form = _form(page, "text")
    tab_to(page, form.locator("[type=submit]").last, limit=5)
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200, navigation.value.url
    expect(page.locator("main")).to_contain_text(UPDATE_TEXT)
    action.refresh_from_db()
    assert action.status == "in_progress"


def _partner_reports_measurement(page: Page, case: Case) -> None:
    outcome = case.outcomes.get()
    _visit(page, reverse("measurement_report", args=[outcome.pk]))
    form = _form(page, "value")
    form.locator("[name=organisation]").select_option(label="Polismyndigheten")
    form.locator("[name=value]").fill("67")
    form.locator("[name=measured_on]").fill(_date(0))
    _submit(page, form)
    assert outcome.measurements.get().value == 67
    _visit(page, case_url(case))
    outcomes = page.get_by_role("region", name="Outcomes")
    expect(outcomes.locator("tr", has_text="Polismyndigheten")).to_contain_text("67")


def test_committee_partner_and_coordinator_work_a_case_through_the_browser(
    open_as: Callable[..., Page], site: SimpleNamespace, demo_password: str
) -> None:
    demo = site.demo
    anna = open_as(None, "en")
    _log_in_by_keyboard(anna, "anna", demo_password)
    case = _committee_creates_case_and_invites(anna, demo)

    _admin_accepts(open_as(demo.petra, "en"), case)

    carl = open_as(demo.carl, "en")
    _coordinator_adds_actions_and_outcome(carl, case)

    petra = open_as(demo.petra, "en")
    _partner_posts_update_by_keyboard(petra, case)
    _partner_reports_measurement(petra, case)

    _visit(carl, reverse("inbox"))
    expect(carl.locator("main")).to_contain_text(UPDATE_TEXT)

    response = petra.goto(case_url(demo.care))
    assert response is not None and response.status == 404
    expect(petra.locator("body")).not_to_contain_text(demo.care.title)
    expect(petra.locator("h1")).to_be_visible()
