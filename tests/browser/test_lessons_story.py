"""The lessons story in Chromium: maja coordinates the Malmö case in evaluation and is asked for
its lessons on the case page; she records one in Swedish; anna finds it in the library by
another form of the same word ("samverkan" finds "samverkade") and by theme, with the case's
outcomes as its evidence, and her inbox tells her of it."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from cases.models import Case
from notifications.choices import EventKind
from notifications.models import Notification

WAY = "Gemensam väg in för äldre med stora behov"


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def test_the_coordinator_is_asked_records_a_lesson_and_the_committee_finds_it(
    open_as, site
) -> None:
    demo = site.demo
    case = Case.objects.get(title="Samordnat stöd till äldre i Malmö")

    page = open_as(demo.maja)
    _visit(page, reverse("case_detail", args=[case.reference]))
    expect(page.locator("#lessons ~ .notice")).to_contain_text("Lärdomar efterfrågas av dig")
    with page.expect_navigation():
        page.locator("main a", has_text="Registrera en lärdom").first.click()
    form = page.locator("main form:has([name='way_of_working'])").first
    form.locator("[name=way_of_working]").fill(WAY)
    form.locator("[name=what_worked]").fill("Kommunen och regionen samverkade kring en kontakt.")
    form.locator("[name=what_did_not]").fill("Journalsystemen talade inte med varandra.")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    expect(page.locator(".messages")).to_contain_text("Lärdomen registrerades")
    expect(page.locator("main h1")).to_contain_text(WAY)

    page = open_as(demo.anna)
    _visit(page, reverse("lesson_library"))
    search = page.locator("main form[role=search]")
    search.locator("[name=q]").fill("samverkan")
    search.locator("[name=theme]").select_option("elderly-care")
    with page.expect_navigation():
        search.locator("[type=submit]").click()
    lesson = page.locator("main article.lesson", has_text=WAY)
    expect(lesson).to_have_count(1)
    expect(lesson).to_contain_text("Kommun, region")
    expect(lesson).to_contain_text("Underlag: ärendets effektmål")

    assert Notification.objects.filter(
        event__kind=EventKind.LESSON_RECORDED, recipient=demo.anna
    ).exists()
    _visit(page, reverse("inbox"))
    expect(page.locator("main")).to_contain_text(f"registrerade en lärdom: ”{WAY}”")
