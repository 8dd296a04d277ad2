"""The review story, end to end in Chromium: a partner's figure counts only once the
coordinator approved it, and every value stays in the history.

Petra reports a value; Carl sees it pending on his dashboard and returns it with a comment;
Petra is notified and corrects it; Carl approves it, and only then does the chart change; the
timeline shows both values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.choices import ReviewState
from cases.models import Measurement, Outcome
from tests.browser.pages import case_url

COMMENT = "Siffran verkar gälla hela länet. Kontrollera och rätta."
REASON = "Rätt urval: bara Södertälje"


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def _form(page: Page, field: str) -> Locator:
    return page.locator(f"main form:has([name='{field}'])").first


def _submit(page: Page, form: Locator) -> None:
    with page.expect_navigation() as navigation:
        form.locator("[type=submit]").last.click()
    assert navigation.value.status == 200, navigation.value.url
    errors = page.locator(".errors")
    assert errors.count() == 0, f"the form was refused: {errors.all_inner_texts()}"


def _chart_points(page: Page, outcome: Outcome) -> int:
    return page.locator(f"svg:has(#chart-{outcome.pk}-t) .chart-point").count()


def test_a_partners_value_counts_only_after_the_coordinator_approved_it(
    open_as: Callable[..., Page], site: SimpleNamespace
) -> None:
    demo = site.demo
    suspects = Outcome.objects.get(case=demo.youth, direction="decrease")
    petra, carl = open_as(demo.petra, "en"), open_as(demo.carl, "en")
    _visit(carl, case_url(demo.youth))
    points_before = _chart_points(carl, suspects)

    # Petra reports a value (a wrong one, as it turns out).
    _visit(petra, reverse("measurement_report", args=[suspects.pk]))
    form = _form(petra, "value")
    form.locator("[name=organisation]").select_option(label="Polismyndigheten")
    form.locator("[name=value]").fill("88")
    form.locator("[name=measured_on]").fill(timezone.localdate().isoformat())
    _submit(petra, form)
    measurement = Measurement.objects.get(outcome=suspects, value=88)
    assert measurement.review_state == ReviewState.SUBMITTED

    # Carl sees it pending on his dashboard and returns it with a comment.
    _visit(carl, reverse("dashboard"))
    pending = carl.get_by_role("region", name="Values waiting for your review")
    link = pending.get_by_role("link", name=re.compile(r"88\s+personer from Polismyndigheten"))
    with carl.expect_navigation():
        link.click()
    form = _form(carl, "decision")
    form.locator("[name=decision][value=return]").check()
    form.locator("[name=comment]").fill(COMMENT)
    _submit(carl, form)
    expect(carl.locator("main")).to_contain_text("The value was returned.")
    assert _chart_points(carl, suspects) == points_before

    # Petra is notified, with Carl's comment, and corrects the value.
    _visit(petra, reverse("inbox"))
    expect(petra.locator("main")).to_contain_text(COMMENT)
    _visit(petra, reverse("measurement_correct", args=[measurement.pk]))
    form = _form(petra, "reason")
    form.locator("[name=value]").fill("43")
    form.locator("[name=reason]").fill(REASON)
    _submit(petra, form)
    measurement.refresh_from_db()
    assert (measurement.value, measurement.review_state) == (43, ReviewState.SUBMITTED)

    # The chart has not moved yet: the corrected value still waits for review.
    _visit(carl, case_url(demo.youth))
    assert _chart_points(carl, suspects) == points_before

    # Carl approves it; only now does the chart change.
    _visit(carl, reverse("measurement_review", args=[measurement.pk]))
    form = _form(carl, "decision")
    form.locator("[name=decision][value=approve]").check()
    _submit(carl, form)
    assert _chart_points(carl, suspects) == points_before + 1
    table = carl.get_by_role("region", name=re.compile("Values of Unga 15–20"))
    expect(table.locator("tr", has_text=re.compile(r"43\s+personer"))).to_contain_text("Approved")

    # The history shows both values: the one reported and the one corrected.
    timeline = carl.get_by_role("region", name="Timeline")
    expect(timeline).to_contain_text(f"corrected 88 → 43 ({REASON})")
