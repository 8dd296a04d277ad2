"""Choosing in a type-ahead picker (agencies.widgets) the way a user does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def combobox(page: Page, field: str) -> Locator:
    return page.locator(f"input[role=combobox]#id_{field}")


def options(page: Page, field: str) -> Locator:
    return page.locator(f"#id_{field}_listbox [role=option]")


def pick(page: Page, field: str, text: str, label: str) -> None:
    """Type `text` into the field's picker and click the match named `label`."""
    combobox(page, field).fill(text)
    match = options(page, field).filter(has_text=label).first
    expect(match).to_be_visible()
    match.click()
