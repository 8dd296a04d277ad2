"""`make screenshots`: regenerate docs/screenshots/*.png from the demo data in real Chromium.

Not collected by `make test` (the name does not start with `test_`); `make screenshots` runs it
with pytest so it reuses the browser fixtures: the live server, the demo data and Chromium.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.pages import case_url

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


# The case page runs to many screens (every measurement, the whole timeline); the top shows the
# overview, participants, actions and the first outcome chart, which is what a reader needs.
MAX_HEIGHT = 2200


def _shoot(page: Page, path: str, name: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height}
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True, clip=clip, animations="disabled")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_screenshots(open_as: Callable[..., Page], site: SimpleNamespace, language: str) -> None:
    """The coordinator's dashboard and the youth-crime case page, in Swedish and English."""
    page = open_as(site.demo.carl, language)
    _shoot(page, reverse("dashboard"), f"dashboard-{language}.png")
    _shoot(page, case_url(site.demo.youth), f"case-{language}.png")
    assert (SCREENSHOTS / f"case-{language}.png").stat().st_size > 10_000
