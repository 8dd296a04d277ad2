"""The case page fits a screen and a sheet of paper: the largest demo case in Chromium at 1280 px
and on a 390 px phone, its whole timeline a click at a time, a long mandate, and its print.

Before the summary and sections, the page was 12,997 px tall at 1280 px, 15,798 px at 390 px,
and printed on 13 A4 pages with the menu and the buttons; the bounds below leave room for a
little more content, not for the page growing back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cases import services
from cases.models import Participation
from tests.browser.axe import axe_violations, describe
from tests.browser.pages import case_url

# Bounded whatever the case holds: each section shows its first rows. The committee's sections
# (decisions, obstacles, files, downloads) each add a fixed height: 6,605 px at 1280 and 8,993 px
# at 390 for the largest demo case with all of them.
MAX_HEIGHT = {1280: 7500, 390: 10000}
MAX_PRINTED_PAGES = 5
LANGUAGES = ["sv", "en"]


def _case_page(open_as: Callable[..., Page], site: SimpleNamespace, width: int, language="en"):
    page = open_as(site.demo.carl, language)
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(case_url(site.demo.youth))
    assert response is not None and response.status == 200
    return page


def _pdf_pages(pdf: bytes) -> int:
    """The page count of a PDF: its page objects (not the /Pages tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("width", sorted(MAX_HEIGHT))
def test_the_largest_demo_case_fits_in_a_bounded_height_without_sideways_scrolling(
    open_as, site, width: int
) -> None:
    page = _case_page(open_as, site, width)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=f"/tmp/page-case-{width}.png", full_page=True)
    print(f"\ncase page at {width} px: {height} px tall")
    assert height <= MAX_HEIGHT[width]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_summary_says_status_coordinator_late_work_deadlines_and_outcomes(
    open_as, site
) -> None:
    page = _case_page(open_as, site, 1280)
    summary = page.get_by_role("region", name="Summary")
    expect(summary).to_contain_text("Active")
    expect(summary).to_contain_text("Carl")
    expect(summary).to_contain_text(re.compile(r"\d+ overdue"))
    expect(summary).to_contain_text(re.compile(r"\d+ blocked"))
    expect(summary).to_contain_text(re.compile(r"\d+ of \d+ on track"))
    deadlines = summary.locator("dd ul li")
    assert 1 <= deadlines.count() <= 3
    with page.expect_navigation():
        deadlines.first.get_by_role("link").click()
    assert "/actions/" in page.url


def test_older_entries_lead_to_the_registration_of_the_case(open_as, site) -> None:
    page = _case_page(open_as, site, 390)
    case = site.demo.youth
    registration = f"Created: {case.reference} {case.title}"
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).not_to_contain_text(registration)
    with page.expect_navigation():
        timeline.get_by_role("link", name="Older entries").click()
    for _ in range(20):
        if registration in page.locator("main").inner_text():
            break
        with page.expect_navigation():
            page.get_by_role("link", name="Older entries").click()
    expect(page.locator("main")).to_contain_text(registration)
    expect(page.locator("main")).to_contain_text("This is where the case's history begins.")
    assert page.get_by_role("link", name="Older entries").count() == 0


def test_the_timeline_filter_leaves_only_the_chosen_kind(open_as, site) -> None:
    page = open_as(site.demo.carl, "en")
    page.goto(case_url(site.demo.youth, "case_timeline"))
    page.get_by_label("The case itself").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    entries = page.locator("ol.timeline > li")
    assert entries.count() >= 2
    for text in entries.all_inner_texts():
        assert site.demo.youth.reference in text, text
    expect(page.get_by_label("The case itself")).to_be_checked()


def test_a_long_unbroken_mandate_stays_in_its_cell_behind_read_more(open_as, site) -> None:
    participation = Participation.objects.get(case=site.demo.youth, organisation__name="Fryshuset")
    original = participation.mandate
    mandate = "Handlingsutrymme" + "x" * 3900
    services.participation_update(
        actor=site.demo.carl, participation=participation, data={"mandate": mandate}
    )
    try:
        for width in (390, 1280):
            page = _case_page(open_as, site, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            table = page.locator(".table-wrap[aria-label='Participants']")
            assert table.evaluate("e => e.scrollWidth") <= table.evaluate("e => e.clientWidth") + 1
            row = table.locator("tr", has_text="Fryshuset")
            expect(row.get_by_text(mandate)).to_be_hidden()
            row.locator("summary").click()
            expect(row.get_by_text(mandate)).to_be_visible()
            page.screenshot(path=f"/tmp/page-mandate-{width}.png", full_page=False)
        # On paper the whole mandate is printed, without its shortened copy or "Read more".
        page = _case_page(open_as, site, 1280)
        page.emulate_media(media="print")
        row = page.locator(".table-wrap[aria-label='Participants'] tr", has_text="Fryshuset")
        expect(row.get_by_text(mandate)).to_be_visible()
        expect(row.locator(".clip")).to_be_hidden()
        expect(row.locator("summary")).to_be_hidden()
    finally:
        participation.refresh_from_db()
        services.participation_update(
            actor=site.demo.carl, participation=participation, data={"mandate": original}
        )


def test_printing_gives_a_short_clean_a4_report(open_as, site) -> None:
    page = _case_page(open_as, site, 1280)
    pdf = page.pdf(format="A4")
    with open("/tmp/page-case-print.pdf", "wb") as file:
        file.write(pdf)
    print(f"\ncase page printed: {_pdf_pages(pdf)} A4 pages")
    assert 1 <= _pdf_pages(pdf) <= MAX_PRINTED_PAGES
    page.emulate_media(media="print")
    for hidden in (".site-header", ".skip-link", "main form", "main button", "main .button"):
        locator = page.locator(hidden)
        for index in range(locator.count()):
            expect(locator.nth(index)).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.get_by_role("region", name="Summary")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    violations = axe_violations(page)
    assert not violations, f"print view:\n{describe(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("view", ["case_detail", "case_timeline", "case_actions", "values"])
def test_the_case_page_and_its_show_all_pages_pass_axe(open_as, site, view, language) -> None:
    page = open_as(site.demo.carl, language)
    if view == "values":
        outcome = site.demo.youth.outcomes.order_by("pk").first()
        url = reverse("outcome_values", args=[outcome.pk])
    elif view == "case_actions":
        url = f"{case_url(site.demo.youth, view)}?status=planned"
    else:
        url = case_url(site.demo.youth, view)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status == 200
        violations = axe_violations(page)
        assert not violations, f"{view} ({language}, {width} px):\n{describe(violations)}"
        if language == "en":
            page.screenshot(path=f"/tmp/page-{view}-{width}.png", full_page=True)
