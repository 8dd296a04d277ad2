"""A citizen's experience in Chromium: a visitor without an account reads the public Gotland
case, first pastes a personal identity number (refused, with the reason by the field), then
shares the experience; anna (who coordinates the case) finds it in her moderation queue with
the address, publishes it, and the visitor's page shows it without the address."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.citizens.test_identity_numbers import PERSON

TEXT = "Bussen till träffpunkten i Slite går bara två gånger om dagen."
EMAIL = "besokare@example.org"


def _send(page: Page) -> None:
    form = page.locator("main form:has([name='text'])")
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def test_a_visitor_shares_and_the_coordinator_publishes(open_as, site) -> None:
    demo = site.demo
    visitor = open_as(None, "en")
    visitor.goto(reverse("case_detail", args=[demo.public.reference]))
    visitor.get_by_role("link", name="Share an experience or a suggestion").click()

    visitor.get_by_label("Your experience or suggestion").fill(f"Jag, {PERSON}, väntar på bussen.")
    _send(visitor)
    text = visitor.get_by_label("Your experience or suggestion")
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(visitor.locator(".has-error")).to_contain_text("we do not keep them")

    text.fill(TEXT)
    visitor.get_by_label("Your e-mail address").fill(EMAIL)
    _send(visitor)
    expect(visitor.locator(".messages")).to_contain_text("A moderator reads what you wrote")
    expect(visitor.locator("main")).not_to_contain_text(TEXT)

    anna = open_as(demo.anna, "en")
    anna.goto(reverse("case_detail", args=[demo.public.reference]))
    # The demo's one and the visitor's (other browser tests may have left more on the site).
    anna.get_by_role("link", name=re.compile(r"^\d+ waiting for moderation$")).click()
    item = anna.locator("article.experience", has_text=TEXT)
    # The longest waiting come first; on the shared site other tests' may fill the first pages.
    while item.count() == 0 and anna.locator("a[rel=next]").count():
        with anna.expect_navigation():
            anna.locator("a[rel=next]").first.click()
    expect(item).to_contain_text(EMAIL)
    with anna.expect_navigation():
        item.get_by_role("button", name="Publish").click()
    expect(anna.locator(".messages")).to_contain_text("Published")

    visitor.reload()
    expect(visitor.locator("article.experience", has_text=TEXT)).to_have_count(1)
    expect(visitor.locator("main")).not_to_contain_text(EMAIL)
