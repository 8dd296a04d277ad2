"""Two-factor sign-in in Chromium: set up an authenticator app (the secret read off the page, the
code computed as the app would), sign out, sign in with password and code, then with a recovery
code; the requirement sends a committee member without a device to the set-up; the paused
sign-in page. Every page in Swedish and English, axe-core clean at 1280 px and 390 px."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.axe import axe_violations, describe

LANGUAGES = ["sv", "en"]
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def _clean_at_both_widths(page: Page, what: str) -> None:
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        violations = axe_violations(page)
        assert not violations, f"{what} at {viewport['width']} px:\n{describe(violations)}"
        fits = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert page.evaluate(fits), f"{what} scrolls sideways at {viewport['width']} px"
    page.set_viewport_size(WIDE)


def _submit(page: Page, field: str, value: str) -> None:
    form = page.locator(f"main form:has([name='{field}'])").first
    form.locator(f"[name='{field}']").fill(value)
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()


def _sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator(f"header form[action='{reverse('logout')}'] button").click()


def _sign_in_with_password(page: Page, username: str, password: str) -> None:
    page.goto(reverse("login"))
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()


@pytest.fixture
def forget_sign_ins(django_db_blocker):
    """The browser package shares its data: no device or failed attempt outlives the test."""
    yield
    with django_db_blocker.unblock():
        TOTPDevice.objects.all().delete()
        StaticDevice.objects.all().delete()
        AccessAttempt.objects.all().delete()


@pytest.mark.parametrize("language", LANGUAGES)
def test_set_up_an_app_then_sign_in_with_a_code_and_with_a_recovery_code(
    open_as, site, demo_password, forget_sign_ins, language
):
    page = open_as(site.demo.maja, language)
    page.goto(reverse("account"))
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('two_factor')}']").click()
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('two_factor_setup')}']").click()
    expect(page.locator(".qr-code svg[role=img]")).to_be_visible()
    _clean_at_both_widths(page, f"set-up ({language})")

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret)
    _submit(page, "code", f"{totp(key):06d}")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    _clean_at_both_widths(page, f"recovery codes ({language})")

    _sign_out(page)
    _sign_in_with_password(page, "maja", demo_password)
    expect(page).to_have_url(re.compile(re.escape(reverse("sign_in_code")) + "$"))
    _clean_at_both_widths(page, f"code step ({language})")
    _submit(page, "code", f"{totp(key, drift=1):06d}")  # the app's next code: each works once
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard")) + "$"))

    _sign_out(page)
    _sign_in_with_password(page, "maja", demo_password)
    _submit(page, "code", codes[0])
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard")) + "$"))
    page.goto(reverse("two_factor"))
    expect(page.locator("main")).to_contain_text("9")
    _clean_at_both_widths(page, f"two-factor overview ({language})")


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Aktivera tvåstegsinloggning"), ("en", "Set up two-factor sign-in")],
)
def test_with_the_requirement_a_committee_member_without_a_device_is_sent_to_the_set_up(
    open_as, site, settings, forget_sign_ins, language, heading
):
    settings.TWO_FACTOR_REQUIRED_GROUPS = ["committee", "operators"]
    page = open_as(site.demo.anna, language)
    case_page = reverse("case_detail", args=[site.demo.youth.reference])
    page.goto(case_page)
    expect(page).to_have_url(re.compile(re.escape(reverse("two_factor_setup")) + r"\?next="))
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("main")).not_to_contain_text(site.demo.youth.title)
    page.goto(reverse("case_list"))
    expect(page).to_have_url(re.compile(re.escape(reverse("two_factor_setup"))))


@pytest.mark.parametrize(
    ("language", "notice"), [("sv", "Inloggningen är pausad"), ("en", "Sign-in is paused")]
)
def test_the_paused_sign_in_page_explains_itself_accessibly(
    open_as, site, settings, forget_sign_ins, language, notice
):
    settings.AXES_FAILURE_LIMIT = 2
    page = open_as(None, language)
    for _ in range(2):
        _sign_in_with_password(page, "eve", "not-her-password")
    expect(page.locator(".sign-in-paused h2")).to_have_text(notice)
    _clean_at_both_widths(page, f"paused sign-in ({language})")
