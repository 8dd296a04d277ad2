"""The trust self-assessment in Chromium: petra's case page says her organisation has not
answered; she scores the eight principles for Polismyndigheten; the page then shows her
organisation's answers, and the trend chart and table show the closed rounds' averages."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from trust.choices import Principle
from trust.models import TrustResponse

SCORES = dict(zip(Principle.values, [4, 3, 5, 2, 3, 4, 4, 3], strict=True))


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def test_petra_answers_for_her_organisation_and_sees_only_its_answers(open_as, site) -> None:
    demo = site.demo
    page = open_as(demo.petra)
    _visit(page, reverse("case_detail", args=[demo.youth.reference]))
    section = page.locator("section[aria-labelledby=trust]")
    expect(section).to_contain_text("Din organisation har inte svarat än.")
    with page.expect_navigation():
        section.locator("a", has_text="Svara för din organisation").click()
    form = page.locator("main form:has([name='trust_comment'])").first
    for principle, score in SCORES.items():
        form.locator(f"[name={principle}][value='{score}']").check()
    form.locator("[name=openness_comment]").fill("Vi får veta för sent vad skolan gör.")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    expect(page.locator("[role=status], .messages").first).to_contain_text(
        "Din organisations svar sparades"
    )
    own = page.locator("section[aria-labelledby=trust-own]")
    expect(own).to_contain_text("Vi får veta för sent vad skolan gör.")
    expect(own).not_to_contain_text("Fältassistenterna")  # Södertälje kommun's comment
    expect(page.locator("figure.trust-chart svg circle")).to_have_count(16)  # 2 rounds × 8
    expect(page.locator("main table tbody tr")).to_have_count(2)
    response = TrustResponse.objects.get(
        round__case=demo.youth, round__closed_at=None, organisation=demo.orgs.police
    )
    assert response.answered_at is not None
    assert {a.principle: a.score for a in response.answers.all()} == SCORES
