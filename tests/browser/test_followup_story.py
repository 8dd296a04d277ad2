"""The effect follow-up story in Chromium: a case Region Skåne leads closed six months ago;
maja reports its 6-month value from the closed case's page, anna (coordinator) approves it, and
the page answers "Did the effect hold?".

The case is made here, so the demo cases the other browser tests read stay as they are.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services
from cases.choices import Direction, ValueKind
from cases.models import Case
from followups.models import FollowUp
from tests.followups.helpers import close, closed_ago

TITLE = "Snabbare första besök i Lund"


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def _closed_case(demo: SimpleNamespace) -> Case:
    today = timezone.localdate()
    case = services.case_create(
        actor=demo.anna,
        title=TITLE,
        summary="Kortare väntan till första besöket.",
        theme=demo.care.theme,
        scope_areas=[demo.orgs.region_skane],
        coordinator=demo.anna,
    )
    lead = services.participation_invite(
        actor=demo.anna, case=case, organisation=demo.orgs.region_skane, role="lead"
    )
    services.participation_accept(actor=demo.maja, participation=lead, contact_person=demo.maja)
    services.case_transition(actor=demo.anna, case=case, to_status="active", reason="Start.")
    services.outcome_create(
        actor=demo.anna,
        case=case,
        title="Kortare väntan i Lund",
        indicator="Median väntetid till första besök",
        unit="dagar",
        value_kind=ValueKind.COUNT,
        direction=Direction.DECREASE,
        baseline_value=Decimal(90),
        baseline_date=today - relativedelta(months=12),
        target_value=Decimal(30),
        target_date=today,
    )
    close(demo.anna, case)
    closed_ago(case, months=6, days=1)
    return case


def test_the_lead_reports_the_six_month_value_and_the_coordinator_approves_it(
    open_as, site
) -> None:
    demo = site.demo
    case = _closed_case(demo)
    page_url = reverse("case_detail", args=[case.reference])

    page = open_as(demo.maja, "en")
    _visit(page, page_url)
    section = page.locator("section[aria-labelledby=effects]")
    expect(section).to_contain_text("Not yet known")
    with page.expect_navigation():
        section.get_by_role("link", name="Report the 6-month value").click()
    form = page.locator("main form:has([name=value])").first
    form.locator("[name=value]").fill("28")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    expect(page.locator("[role=status], .messages").first).to_contain_text(
        "The follow-up value was reported"
    )
    expect(page.locator("section[aria-labelledby=effects]")).to_contain_text("Waiting for review")

    page = open_as(demo.anna, "en")
    _visit(page, page_url)
    section = page.locator("section[aria-labelledby=effects]")
    with page.expect_navigation():
        section.get_by_role("link", name="Review").first.click()
    page.get_by_label("Approve: the value counts from now on").check()
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    section = page.locator("section[aria-labelledby=effects]")
    expect(section).to_contain_text("The effect held")
    expect(section).to_contain_text("Approved")

    point = FollowUp.objects.get(case=case, months=6)
    assert point.measurement.value == Decimal(28) and point.measurement.counts
