"""Keyboard-only helpers: reach elements with Tab the way a keyboard user does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

# Enough presses to cross the header, the navigation and a long form.
TAB_LIMIT = 120


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, locator: Locator, *, limit: int = TAB_LIMIT) -> int:
    """Press Tab until the element has focus; fail if it cannot be reached. Returns the presses."""
    target = locator.first
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if is_focused(target):
            return presses
    raise AssertionError(f"{target} cannot be reached with Tab within {limit} presses")


def focused_description(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement, text = (e.textContent || '').trim();"
        " return `${e.tagName.toLowerCase()}#${e.id} ${text.slice(0, 40)}`; }"
    )


# Marks the focused element as visited and reports whether its focus is visible, in one round trip.
_VISIT_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return {state: 'none'};
    // A date field takes one Tab per part (day, month, year): still the same element.
    if (e === window.__lastTabbed) return {state: 'same'};
    window.__lastTabbed = e;
    if (e.dataset.tabbed) return {state: 'seen'};
    e.dataset.tabbed = '1';
    const style = getComputedStyle(e);
    const outlined = style.outlineStyle !== 'none' && style.outlineWidth !== '0px';
    const shadowed = style.boxShadow !== 'none' && style.boxShadow !== '';
    const text = (e.textContent || e.value || '').trim().slice(0, 40);
    return {state: 'new', visible: outlined || shadowed,
            description: `${e.tagName.toLowerCase()}#${e.id} ${text}`};
}"""


def tab_through(page: Page, *, limit: int) -> list[str]:
    """Tab once around the whole page; returns the elements whose focus was not visible.

    Every element reached is marked with `data-tabbed`, so a caller can list what was missed.
    """
    invisible: list[str] = []
    reached = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_VISIT_FOCUSED)
        if focused["state"] == "seen" and reached:
            break  # focus came round to the start again
        if focused["state"] == "new":
            reached += 1
            if not focused["visible"]:
                invisible.append(focused["description"])
    return invisible
