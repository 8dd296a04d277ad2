"""The notification preferences fit one screen at 1280 px, and "customise" opens the kind-by-kind
choices without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import NotificationPreference
from notifications.preferences import GROUPS

SCREEN = 900  # the browser tests' viewport height at 1280 px wide


@pytest.mark.parametrize("language", ["sv", "en"])
def test_preferences_fit_one_screen_and_save_a_group_choice(open_as, site, language) -> None:
    page = open_as(site.demo.sara, language)
    page.goto(reverse("notification_preferences"))
    height = page.evaluate("document.documentElement.scrollHeight")
    save = page.locator("main form button[type=submit]")
    bottom = save.evaluate("b => b.getBoundingClientRect().bottom")
    print(f"\npreferences page at 1280 px ({language}): {height} px tall, Save at {bottom:.0f}")
    assert bottom <= SCREEN, "the Save button is below the first screen"
    assert page.locator("main select:visible").count() == len(GROUPS)  # one per group

    page.locator("main details summary").nth(3).click()  # customise "Figures"
    assert page.locator("main select:visible").count() > len(GROUPS)
    page.locator("main [name=group-case]").select_option("off")
    with page.expect_navigation():
        save.click()
    chosen = NotificationPreference.objects.filter(user=site.demo.sara, email="off")
    assert chosen.filter(kind="case.status_changed").exists()
    chosen.delete()
