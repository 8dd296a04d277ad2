"""The Content Security Policy in Chromium: every page type is served with it, and nothing on any
page breaks it (no inline script or style, no handler attribute, nothing from elsewhere). A page
that breaks it fails here with what the browser refused.

New page types join PAGE_TYPES (tests/browser/pages.py) and are checked here without a change.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page

from tests.browser.axe import axe_violations, describe
from tests.browser.pages import PAGE_TYPES, PageType

# Runs before any page script; the policy does not apply to it (it is the browser's own).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber} ` +
    `${event.sample || ""}`.trim()
  );
});
"""


def _watched(open_as: Callable[..., Page], user, language: str) -> tuple[Page, list[str]]:
    page = open_as(user, language)
    page.context.add_init_script(LISTEN)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, console


def _violations(page: Page, console: list[str]) -> list[str]:
    page.wait_for_load_state("load")
    return [*page.evaluate("window.__cspViolations || []"), *console]


def _policy_of(response) -> str:
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy, f"no policy: {policy!r}"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
    return policy


@pytest.mark.parametrize("spec", PAGE_TYPES, ids=[spec.name for spec in PAGE_TYPES])
def test_page_is_served_with_the_policy_and_breaks_none_of_it(
    open_as, site: SimpleNamespace, spec: PageType
) -> None:
    user = getattr(site.demo, spec.user) if spec.user else None
    page, console = _watched(open_as, user, "sv")
    response = page.goto(spec.path(site.demo))
    assert response is not None and response.status == spec.status, spec.name
    _policy_of(response)
    if spec.prepare:
        spec.prepare(page)
    assert _violations(page, console) == [], spec.name


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_api_documentation_works_under_the_policy_with_no_axe_violations(
    open_as, site: SimpleNamespace, language: str
) -> None:
    page, console = _watched(open_as, site.demo.carl, language)
    response = page.goto("/api/docs/")
    assert response is not None and response.status == 200
    _policy_of(response)
    page.locator(".opblock").first.wait_for()
    assert page.locator("html").get_attribute("lang") == language
    assert _violations(page, console) == []
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    assert _violations(page, console) == []
    violations = axe_violations(page)
    assert not violations, describe(violations)
