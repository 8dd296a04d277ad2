"""The invitation story, end to end in Chromium: the invited organisation reads the
case's overview before it answers; its admin declines with a reason, then accepts; the case's
coordinator sees both answers in the timeline; closing the case clears its open invitations from
every dashboard.

The data is made here (a case of its own, so the demo cases the other browser tests read are
left as they are): Carl coordinates it, Södertälje kommun leads it, Polismyndigheten (petra and
her admin colleague Pelle) and Malmö stad (malik) are invited.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from agencies.choices import MembershipRole
from agencies.services import membership_set
from cases import services
from cases.models import Case, Participation
from tests.browser.pages import case_url
from tests.factories import UserFactory

TITLE = "Trygga skolvägar i Södertälje"
SUMMARY = "Färre rån och hot mot elever på väg till och från skolan."
MANDATE = "Lokalpolisområde Södertälje: närvaro vid skolorna morgon och eftermiddag."
SECRET_ACTION = "Kartlägg otrygga platser längs skolvägarna"
REASON = "Inga resurser förrän i höst."


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def _answer_form(page: Page) -> Locator:
    return page.locator("main form:has([name='answer'])").first


def _submit(page: Page, form: Locator) -> None:
    with page.expect_navigation() as navigation:
        form.locator("[type=submit]").last.click()
    assert navigation.value.status == 200, navigation.value.url


def _world(demo: SimpleNamespace) -> SimpleNamespace:
    colleague = UserFactory(username="pelle-polis", first_name="Pelle", last_name="Polis")
    membership_set(user=colleague, organisation=demo.orgs.police, role=MembershipRole.ADMIN)
    case = services.case_create(
        actor=demo.anna,
        title=TITLE,
        summary=SUMMARY,
        theme=demo.youth.theme,
        scope_areas=[demo.orgs.sodertalje],
        coordinator=demo.carl,
    )
    lead = services.participation_invite(
        actor=demo.carl, case=case, organisation=demo.orgs.sodertalje, role="lead"
    )
    services.participation_accept(actor=demo.sara, participation=lead)
    services.case_transition(actor=demo.carl, case=case, to_status="active", reason="Start.")
    services.action_create(
        actor=demo.carl, case=case, title=SECRET_ACTION, lead_organisation=demo.orgs.sodertalje
    )
    police = services.participation_invite(
        actor=demo.carl, case=case, organisation=demo.orgs.police, role="partner", mandate=MANDATE
    )
    malmo = services.participation_invite(
        actor=demo.carl, case=case, organisation=demo.orgs.malmo, role="observer"
    )
    return SimpleNamespace(case=case, police=police, malmo=malmo, colleague=colleague)


def _petra_reads_the_invitation(page: Page, world: SimpleNamespace) -> None:
    _visit(page, reverse("dashboard"))
    invitations = page.get_by_role("region", name="Invitations to answer")
    with page.expect_navigation():
        invitations.get_by_role("link", name=f"Polismyndigheten is invited to “{TITLE}”").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(main).to_contain_text(SUMMARY)
    expect(main).to_contain_text(MANDATE)
    expect(page.locator("dl.facts").first).to_contain_text("Partner")
    participants = page.get_by_role("region", name="Participants").first
    expect(participants).to_contain_text("Södertälje")
    expect(main).not_to_contain_text(SECRET_ACTION)
    expect(page.get_by_role("heading", name="Timeline")).to_have_count(0)
    expect(page.get_by_role("heading", name="Actions")).to_have_count(0)
    # The case itself is not yet hers.
    response = page.goto(case_url(world.case))
    assert response is not None and response.status == 404


def _colleague_declines_then_accepts(page: Page, world: SimpleNamespace) -> None:
    _visit(page, reverse("invitation_answer", args=[world.police.pk]))
    form = _answer_form(page)
    form.locator("[name=answer][value=decline]").check()
    _submit(page, form)
    error = page.locator("#id_reason_errors")
    expect(error).to_contain_text("Say why your organisation declines.")
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")

    form = _answer_form(page)
    form.locator("[name=answer][value=decline]").check()
    form.locator("[name=reason]").fill(REASON)
    _submit(page, form)
    expect(page.locator("#invitation-answer")).to_contain_text("Declined")
    expect(page.locator("#invitation-answer")).to_contain_text(REASON)

    form = _answer_form(page)
    expect(form.locator("[name=answer][value=decline]")).to_have_count(0)
    form.locator("[name=answer][value=accept]").check()
    _submit(page, form)
    expect(page.locator("#invitation-answer")).to_contain_text("Accepted")
    assert Participation.objects.get(pk=world.police.pk).state == "active"


def _coordinator_sees_both_answers(page: Page, world: SimpleNamespace) -> None:
    _visit(page, case_url(world.case))
    timeline = page.locator("section:has(#timeline)")
    expect(timeline).to_contain_text("Invited → Declined")
    expect(timeline).to_contain_text(REASON)
    expect(timeline).to_contain_text("Declined → Active")


def _closing_clears_open_invitations(carl: Page, malik: Page, world: SimpleNamespace) -> None:
    invitation_link = f"main a[href='{reverse('invitation_answer', args=[world.malmo.pk])}']"
    _visit(malik, reverse("dashboard"))
    expect(malik.locator(invitation_link)).to_have_count(1)
    for status in ("evaluating", "closed"):
        _visit(carl, case_url(world.case, "case_transition"))
        form = carl.locator("main form:has([name='to_status'])").first
        form.locator("[name=to_status]").select_option(status)
        form.locator("[name=reason]").fill("Skolvägarna är trygga.")
        _submit(carl, form)
    expect(carl.locator("main")).to_contain_text("Reopen the case")
    expect(carl.get_by_role("link", name="Change status")).to_have_count(0)
    _visit(malik, reverse("dashboard"))
    expect(malik.locator(invitation_link)).to_have_count(0)
    assert Participation.objects.get(pk=world.malmo.pk).state == "withdrawn"


def test_an_invited_organisation_reads_decides_and_changes_its_mind(
    open_as: Callable[..., Page], site: SimpleNamespace
) -> None:
    demo = site.demo
    world = _world(demo)
    try:
        _petra_reads_the_invitation(open_as(demo.petra, "en"), world)
        _colleague_declines_then_accepts(open_as(world.colleague, "en"), world)
        carl = open_as(demo.carl, "en")
        _coordinator_sees_both_answers(carl, world)
        _closing_clears_open_invitations(carl, open_as(demo.malik, "en"), world)
    finally:
        Case.objects.filter(pk=world.case.pk).delete()  # the other browser tests see the demo
        world.colleague.delete()
