"""WCAG 2.1 A and AA, checked by axe-core in Chromium on every page type in Swedish and English,
and the keyboard: a skip link first, visible focus, every control reachable with Tab."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.axe import axe_violations, describe
from tests.browser.keyboard import focused_description, is_focused, tab_through
from tests.browser.pages import PAGE_TYPES, PageType, case_url

LANGUAGES = ["sv", "en"]
CONTROLS = (
    "a[href]:visible, button:visible, input:not([type=hidden]):visible, select:visible,"
    " textarea:visible, summary:visible"
)


def _visit(open_as: Callable[..., Page], site: SimpleNamespace, spec: PageType, language: str):
    user = getattr(site.demo, spec.user) if spec.user else None
    page = open_as(user, language)
    response = page.goto(spec.path(site.demo))
    assert response is not None and response.status == spec.status, spec.name
    if spec.prepare:
        spec.prepare(page)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGE_TYPES, ids=[spec.name for spec in PAGE_TYPES])
def test_page_has_no_wcag_21_aa_violations(open_as, site, spec: PageType, language: str) -> None:
    page = _visit(open_as, site, spec, language)
    assert page.locator("html").get_attribute("lang") == language
    violations = axe_violations(page)
    assert not violations, f"{spec.name} ({language}):\n{describe(violations)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_errors_are_shown_next_to_their_field(open_as, site, language: str) -> None:
    spec = next(spec for spec in PAGE_TYPES if spec.name == "case-create-errors")
    page = _visit(open_as, site, spec, language)
    title = page.locator("[name=title]")
    assert title.get_attribute("aria-invalid") == "true"
    described_by = (title.get_attribute("aria-describedby") or "").split()
    messages = " ".join(page.locator(f"#{ident}").inner_text() for ident in described_by)
    assert messages.strip(), "the title's error is not tied to the field"


@pytest.mark.parametrize("persona", [None, "carl"])
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(open_as, site, persona) -> None:
    page = open_as(getattr(site.demo, persona) if persona else None, "en")
    page.goto(case_url(site.demo.public) if persona is None else reverse("dashboard"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href", timeout=1000) in ("#main", "#content", "#main-content"), (
        focused_description(page)
    )
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, (
        f"the skip link must show on screen when focused, it is at {box}"
    )
    page.keyboard.press("Enter")
    main = page.locator("main")
    assert is_focused(main) or main.evaluate("m => m.contains(document.activeElement)"), (
        focused_description(page)
    )


@pytest.mark.parametrize("spec", PAGE_TYPES, ids=[spec.name for spec in PAGE_TYPES])
def test_every_control_is_reachable_by_tab_with_a_visible_focus(open_as, site, spec) -> None:
    """Tab through the whole page: each link, button and field gets focus, and shows it."""
    page = _visit(open_as, site, spec, "en")
    invisible = tab_through(page, limit=page.locator(CONTROLS).count() * 3 + 10)
    assert not invisible, f"focus not visible on: {invisible}"
    missed = page.locator(CONTROLS).evaluate_all(
        """controls => controls.filter(e => !e.dataset.tabbed && !(e.type === 'radio' &&
               document.querySelector(`input[type=radio][name="${e.name}"][data-tabbed]`)))
           .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert not missed, f"not reachable with Tab: {missed}"


@pytest.mark.parametrize("spec", PAGE_TYPES, ids=[spec.name for spec in PAGE_TYPES])
def test_page_reflows_to_320_css_pixels_without_sideways_scrolling(open_as, site, spec) -> None:
    """WCAG 1.4.10 (AA), which axe cannot check: at 320 px wide nothing needs a sideways scroll.

    Wide tables may scroll inside their own container; the page itself must not.
    """
    page = _visit(open_as, site, spec, "sv")
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            // The widest culprits, to name in the failure message.
            const wide = [...document.querySelectorAll('body *')].filter(e => {
                const box = e.getBoundingClientRect();
                return box.width > 0 && box.right > width + 1;
            });
            return {scroll: document.documentElement.scrollWidth, width,
                    wide: wide.slice(0, 5).map(e => e.outerHTML.slice(0, 100))};
        }"""
    )
    assert overflow["scroll"] <= overflow["width"], f"{spec.name}: {overflow}"


def test_axe_harness_reports_an_unlabelled_field_in_this_browser(browser) -> None:
    """The check above must be able to fail: axe runs and reports a field without a label."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    rules = {violation["id"] for violation in axe_violations(page)}
    context.close()
    assert "label" in rules
