"""Two-factor sign-in (django-otp): set-up, code step, recovery codes, removal, requirement."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.services import api_token_create
from cases.demo import DEMO_PASSWORD


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the user's app shows now (or `steps_ahead` 30-second steps later)."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=steps_ahead):06d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    """Set up two-factor sign-in through the pages; returns the device and the recovery codes."""
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"code": app_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    device.refresh_from_db()
    return device, codes


def signed_in_client(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def sign_in_with_password(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})


def test_the_set_up_page_shows_a_qr_code_and_the_secret_to_type(demo):
    client = signed_in_client(demo.carl)
    html = client.get(reverse("two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=demo.carl)
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in html
    secret = re.search(r'id="totp-secret" class="secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert "issuer=Samverkan" in device.config_url
    # Reloading shows the same secret (the user may have scanned it already).
    assert secret in client.get(reverse("two_factor_setup")).content.decode()


def test_a_wrong_code_does_not_turn_it_on(demo):
    client = signed_in_client(demo.carl)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=demo.carl, confirmed=True).exists()


def test_enrolment_shows_ten_recovery_codes_once(demo):
    client = signed_in_client(demo.carl)
    device, codes = enrol(client)
    assert device.confirmed
    assert len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=demo.carl).count() == 10
    # Never again: the set-up page now leads to the overview, which shows no code.
    overview = client.get(reverse("two_factor_setup"), follow=True).content.decode()
    assert "10 unused recovery codes" in overview
    assert not any(code in overview for code in codes)


def test_with_a_device_the_password_alone_does_not_sign_in(demo):
    device, _ = enrol(signed_in_client(demo.carl))
    client = Client()
    response = sign_in_with_password(client, "carl")
    assert response.status_code == 302 and response.url == reverse("sign_in_code")
    assert not signed_in(client)
    step = client.post(reverse("sign_in_code"), {"code": app_code(device, steps_ahead=1)})
    assert step.status_code == 302 and step.url == reverse("dashboard")
    assert signed_in(client)


def test_the_code_step_keeps_where_the_user_was_going(demo):
    device, _ = enrol(signed_in_client(demo.carl))
    client = Client()
    target = reverse("case_detail", args=[demo.youth.reference])
    client.post(reverse("login"), {"username": "carl", "password": DEMO_PASSWORD, "next": target})
    step = client.post(reverse("sign_in_code"), {"code": app_code(device, steps_ahead=1)})
    assert step.url == target


def test_a_recovery_code_signs_in_once(demo):
    _, codes = enrol(signed_in_client(demo.carl))
    client = Client()
    sign_in_with_password(client, "carl")
    code = codes[3]
    spaced = f"{code[:4]} {code[4:].upper()}"  # as read aloud from paper
    assert client.post(reverse("sign_in_code"), {"code": spaced}).status_code == 302
    assert signed_in(client)

    again = Client()
    sign_in_with_password(again, "carl")
    refused = again.post(reverse("sign_in_code"), {"code": code})
    assert refused.status_code == 200 and "That code is not right" in refused.content.decode()
    assert not signed_in(again)
    assert StaticToken.objects.filter(device__user=demo.carl).count() == 9


def test_an_app_code_is_accepted_only_once(demo):
    device, _ = enrol(signed_in_client(demo.carl))
    code = app_code(device, steps_ahead=1)
    first = Client()
    sign_in_with_password(first, "carl")
    assert first.post(reverse("sign_in_code"), {"code": code}).status_code == 302
    second = Client()
    sign_in_with_password(second, "carl")
    assert second.post(reverse("sign_in_code"), {"code": code}).status_code == 200


def test_the_code_step_expires(demo, settings):
    device, _ = enrol(signed_in_client(demo.carl))
    client = Client()
    sign_in_with_password(client, "carl")
    session = client.session
    session["accounts_sign_in_pending"]["since"] = time.time() - 301
    session.save()
    response = client.post(reverse("sign_in_code"), {"code": app_code(device, steps_ahead=1)})
    assert response.status_code == 302 and response.url == reverse("login")
    assert not signed_in(client)


def test_guessing_codes_pauses_the_account(demo, settings):
    settings.AXES_FAILURE_LIMIT = 5
    device, _ = enrol(signed_in_client(demo.carl))
    client = Client()
    sign_in_with_password(client, "carl")
    for _ in range(4):
        assert client.post(reverse("sign_in_code"), {"code": "123456"}).status_code == 200
    paused = client.post(reverse("sign_in_code"), {"code": "123456"})
    assert paused.status_code == 429 and "Sign-in is paused" in paused.content.decode()
    # Neither the right code nor the password gets in during the pause.
    assert client.post(reverse("sign_in_code"), {"code": app_code(device, 1)}).status_code == 302
    assert not signed_in(client)
    assert sign_in_with_password(Client(), "carl").status_code == 429


def test_removing_the_device_needs_a_current_code(demo):
    client = signed_in_client(demo.carl)
    device, codes = enrol(client)
    refused = client.post(reverse("two_factor_remove"), {"code": "999999"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=demo.carl).exists()
    removed = client.post(reverse("two_factor_remove"), {"code": codes[0]})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=demo.carl).exists()
    assert not StaticDevice.objects.filter(user=demo.carl).exists()
    # Set up again (a new phone): a new secret.
    again, _ = enrol(client)
    assert again.key != device.key
    assert sign_in_with_password(Client(), "carl").url == reverse("sign_in_code")


def test_an_operator_resets_a_users_devices_in_the_admin(demo, admin_client):
    enrol(signed_in_client(demo.carl))
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [demo.carl.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=demo.carl).exists()
    client = Client()
    assert sign_in_with_password(client, "carl").url == reverse("dashboard")


def test_the_admin_sign_in_asks_for_the_code_too(demo):
    enrol(signed_in_client(demo.admin))
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    assert response.url == reverse("sign_in_code")
    assert client.get("/admin/cases/case/").status_code == 302


# The requirement (TWO_FACTOR_REQUIRED_GROUPS)


@pytest.fixture
def required(settings) -> None:
    settings.TWO_FACTOR_REQUIRED_GROUPS = ["committee", "operators"]


def test_a_committee_member_without_a_device_reaches_only_the_set_up(demo, required):
    client = signed_in_client(demo.anna)
    case_page = reverse("case_detail", args=[demo.youth.reference])
    for path in [case_page, reverse("dashboard"), reverse("case_list"), reverse("account")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("two_factor_setup")), path
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403 and "Two-factor" in api.json()["detail"]
    enrol(client)
    assert client.get(case_page).status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200


def test_an_unverified_session_of_a_user_with_a_device_goes_to_the_code_step(demo, required):
    device, _ = enrol(signed_in_client(demo.anna))
    client = signed_in_client(demo.anna)  # signed in without the code step
    response = client.get(reverse("case_list"))
    assert response.url == f"{reverse('sign_in_code')}?next=%2Fcases%2F"
    step = client.post(response.url, {"code": app_code(device, steps_ahead=1)})
    assert step.url == reverse("case_list")
    assert client.get(reverse("case_list")).status_code == 200


def test_operators_are_required_too_and_partners_are_not(demo, required):
    assert signed_in_client(demo.admin).get("/admin/").status_code == 302
    assert signed_in_client(demo.petra).get(reverse("dashboard")).status_code == 200


def test_api_tokens_are_unaffected_by_the_requirement(demo, required):
    _, secret = api_token_create(user=demo.anna, name="script")
    response = Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_without_the_setting_nobody_is_held(demo):
    assert signed_in_client(demo.anna).get(reverse("dashboard")).status_code == 200
