"""Run axe-core (shipped inside the axe-playwright-python package) in the page under test.

The script is injected by the test through the DevTools protocol, so it is never served to users
and no Content-Security-Policy has to allow it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page, tags: list[str] = WCAG_21_AA) -> list[dict]:
    """The violations of the given rule tags on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """One readable line per failing element: rule, impact, help and the element's selector."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']} -> "
                f"{' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)
