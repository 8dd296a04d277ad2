"""The obstacle story in Chromium: petra records a legal obstacle (OSL) on the Södertälje youth
case; sara records the same provision, cited another way, on another case; anna finds one group
of two cases in the committee's register and escalates it with a decision reference; both cases'
coordinators are told.

The second case is made here (Södertälje kommun leads it, Cecilia coordinates it), so the demo
cases the other browser tests read keep their participants.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from cases import services
from learning.models import ObstacleGroup
from notifications.choices import EventKind
from notifications.models import Notification
from tests.factories import UserFactory

TITLE = "Trygg skolgång i Södertälje"
PETRAS = "Polisen får inte veta vilka unga vården redan möter"
SARAS = "Skolan får inte veta vilka elever som får vård"


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def _form(page: Page, field: str) -> Locator:
    return page.locator(f"main form:has([name='{field}'])").first


def _submit(page: Page, form: Locator) -> None:
    with page.expect_navigation() as navigation:
        form.locator("[type=submit]").last.click()
    assert navigation.value.status == 200, navigation.value.url


def _second_case(demo: SimpleNamespace) -> SimpleNamespace:
    cecilia = UserFactory(username="cecilia", first_name="Cecilia", last_name="Samordnare")
    case = services.case_create(
        actor=demo.anna,
        title=TITLE,
        summary="Färre elever med lång frånvaro.",
        theme=demo.youth.theme,
        scope_areas=[demo.orgs.sodertalje],
        coordinator=cecilia,
    )
    lead = services.participation_invite(
        actor=demo.anna, case=case, organisation=demo.orgs.sodertalje, role="lead"
    )
    services.participation_accept(actor=demo.sara, participation=lead)
    services.case_transition(actor=demo.anna, case=case, to_status="active", reason="Start.")
    return SimpleNamespace(case=case, cecilia=cecilia)


def _record(page: Page, reference: str, statute: str, title: str, organisation: str) -> None:
    _visit(page, reverse("case_detail", args=[reference]))
    with page.expect_navigation():
        page.locator("main a", has_text="Registrera ett hinder").first.click()
    form = _form(page, "statute")
    form.locator("[name=kind]").select_option("legal")
    form.locator("[name=statute]").fill(statute)
    form.locator("[name=title]").fill(title)
    form.locator("[name=effect]").fill("Vi möter samma unga var för sig och för sent.")
    form.get_by_label(organisation).check()
    _submit(page, form)
    expect(page.locator("[role=status], .messages").first).to_contain_text("Hindret registrerades")
    expect(page.locator("main")).to_contain_text(title)


def test_two_cases_one_statute_one_group_escalated_and_both_coordinators_told(
    open_as, site
) -> None:
    demo = site.demo
    second = _second_case(demo)

    _record(
        open_as(demo.petra), demo.youth.reference, "OSL 25 kap. 1 §", PETRAS, "Polismyndigheten"
    )
    _record(open_as(demo.sara), second.case.reference, "osl 25:1", SARAS, "Södertälje kommun")

    page = open_as(demo.anna, "en")
    _visit(page, reverse("obstacle_register"))
    row = page.locator("main tr", has_text="OSL 25 kap. 1 §")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("2")  # cases
    with page.expect_navigation():
        row.locator("a").click()
    expect(page.locator("main")).to_contain_text(PETRAS)
    expect(page.locator("main")).to_contain_text(SARAS)
    form = _form(page, "escalate-escalated_to")
    form.locator("[name=escalate-escalated_to]").fill("Justitiedepartementet")
    form.locator("[name=escalate-decision_reference]").fill("2026:7")
    _submit(page, form)
    expect(page.locator("#escalation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Escalated to Justitiedepartementet")

    group = ObstacleGroup.objects.get(statute_key="OSL 25 kap. 1 §")
    told = Notification.objects.filter(event__kind=EventKind.OBSTACLE_ESCALATED)
    assert set(told.values_list("recipient_id", "event__case_id")) >= {
        (demo.carl.pk, demo.youth.pk),
        (second.cecilia.pk, second.case.pk),
    }, group

    page = open_as(demo.carl)
    _visit(page, reverse("inbox"))
    expect(page.locator("main")).to_contain_text(
        "lyfte hindret OSL 25 kap. 1 § till Justitiedepartementet"
    )
