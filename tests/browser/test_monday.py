"""Carl's Monday, in Chromium: he signs in and his dashboard shows what is late and
blocked across all his cases, what is due soon and the values waiting for his review; one click
on each reaches its page. Sara, the admin of an invited organisation, finds the invitation she is
to answer. A phone-sized screenshot of the dashboard goes to /tmp/dash-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from cases.demo import DEMO_PASSWORD

OVERDUE = [
    "Fältarbete kvällstid i Hovsjö och Ronna",
    "Kartläggning av elever med långvarig frånvaro",
]
BLOCKED = ["Förebyggande samtal i skolorna", "Gemensam rutin för elevhälsa och BUP"]
DUE_SOON = ["Samtalsstöd för elever med hög frånvaro"]
PHONE = {"width": 390, "height": 844}


def _sign_in(page: Page, username: str) -> None:
    response = page.goto(reverse("login"))
    assert response is not None and response.status == 200
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard")) + "$"))


def _group(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(title)} \(\d+\)"))


def _click_through(page: Page, link: Locator, heading: str | re.Pattern[str]) -> None:
    """One click from the dashboard reaches the item's page; then back to the dashboard."""
    with page.expect_navigation():
        link.click()
    expect(page.locator("main h1")).to_have_text(heading)
    page.go_back()
    expect(page.locator("#needs-heading")).to_be_visible()


def test_carls_dashboard_shows_what_is_late_across_his_cases_and_reaches_each_item(
    open_as: Callable[..., Page], site: SimpleNamespace
) -> None:
    demo = site.demo
    page = open_as(None, "en")
    assert page.viewport_size == {"width": 1280, "height": 900}
    _sign_in(page, "carl")

    overdue, blocked = _group(page, "Overdue"), _group(page, "Blocked")
    expect(_group(page, "Overdue").get_by_role("heading")).to_have_text("Overdue (2)")
    for title in OVERDUE:
        expect(overdue.get_by_role("link", name=title, exact=True)).to_be_visible()
    for title in BLOCKED:
        expect(blocked.get_by_role("link", name=title, exact=True)).to_be_visible()
    # Each with its case and its age; both of Carl's cases are there.
    expect(overdue).to_contain_text(f"{demo.youth.reference} {demo.youth.title}")
    expect(overdue).to_contain_text(f"{demo.school.reference} {demo.school.title}")
    expect(overdue).to_contain_text("Södertälje kommun · overdue 10 days")
    expect(blocked).to_contain_text(demo.school.reference)
    expect(_group(page, "Due within 14 days")).to_contain_text("due in 4 days")
    reviews = _group(page, "Values waiting for your review")
    # The demo's four values wait for carl (a story run earlier on this site may add more).
    heading = reviews.get_by_role("heading")
    expect(heading).to_have_text(re.compile(r"^Values waiting for your review \((\d+)\)$"))
    waiting = int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))
    assert waiting >= 4

    for title in OVERDUE + BLOCKED + DUE_SOON:
        _click_through(page, page.locator("main").get_by_role("link", name=title), title)
    for index in range(4):
        link = _group(page, "Values waiting for your review").get_by_role("listitem").nth(index)
        _click_through(page, link.get_by_role("link").first, "Review a value")
    case_link = overdue.get_by_role("link", name=f"{demo.school.reference} {demo.school.title}")
    _click_through(page, case_link, demo.school.title)


def test_sara_finds_the_invitation_to_answer_and_reaches_it(
    open_as: Callable[..., Page], site: SimpleNamespace
) -> None:
    page = open_as(None, "en")
    _sign_in(page, "sara")
    invitations = _group(page, "Invitations to answer")
    link = invitations.get_by_role(
        "link", name="Södertälje kommun is invited to “Långvarig skolfrånvaro i Södertälje”"
    )
    expect(invitations).to_contain_text("Partner")
    _click_through(page, link, "Invitation to “Långvarig skolfrånvaro i Södertälje”")


def test_the_dashboard_reads_on_a_phone(open_as: Callable[..., Page], site: SimpleNamespace):
    for language in ("sv", "en"):
        page = open_as(site.demo.carl, language)
        page.set_viewport_size(PHONE)
        response = page.goto(reverse("dashboard"))
        assert response is not None and response.status == 200
        page.screenshot(path=f"/tmp/dash-carl-390-{language}.png", full_page=True)
        page.screenshot(path=f"/tmp/dash-carl-390-{language}-top.png")
        page.evaluate("window.scrollTo(0, 800)")
        page.screenshot(path=f"/tmp/dash-carl-390-{language}-next.png")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"sideways scrolling on a phone: {width} px"
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"carl's dashboard at 390 px ({language}): {height} px tall")
    page = open_as(site.demo.anna, "en")
    page.set_viewport_size(PHONE)
    page.goto(reverse("dashboard"))
    page.screenshot(path="/tmp/dash-anna-390-en.png", full_page=True)
    page.screenshot(path="/tmp/dash-anna-390-en-top.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/dash-anna-1280-en-top.png")
