"""Failed sign-ins pause sign-in per account and per client address (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from cases.demo import DEMO_PASSWORD

LIMIT = 5


@pytest.fixture(autouse=True)
def _limit(settings) -> None:
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _sign_in(client: Client, username: str, password: str, address: str = "198.51.100.7", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_even_the_right_password_is_refused_and_the_page_says_why(demo, client):
    for _ in range(LIMIT - 1):
        response = _sign_in(client, "anna", "wrong")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    paused = _sign_in(client, "anna", "wrong")
    assert paused.status_code == 429
    html = paused.content.decode()
    assert "Sign-in is paused" in html
    assert "Try again after" in html and "in about 15 minutes" in html
    assert "contact the Samverkan operator" in html

    refused = _sign_in(client, "anna", DEMO_PASSWORD)
    assert refused.status_code == 429
    assert not _signed_in(client)


def test_the_pause_message_is_in_swedish_for_a_swedish_user(demo, client):
    client.cookies["django_language"] = "sv"
    for _ in range(LIMIT):
        response = _sign_in(client, "anna", "fel")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Inloggningen är pausad" in html
    assert "Försök igen efter" in html


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(demo, client):
    for _ in range(40):
        _sign_in(client, "carl", "guess")
    assert _sign_in(client, "carl", DEMO_PASSWORD).status_code == 429
    assert not _signed_in(client)


def test_an_operator_unlocks_the_account_with_the_command(demo, client):
    for _ in range(LIMIT):
        _sign_in(client, "anna", "wrong")
    call_command("axes_reset_username", "anna")
    assert _sign_in(client, "anna", DEMO_PASSWORD).status_code == 302
    assert _signed_in(client)


def test_an_operator_sees_and_lifts_the_pause_in_the_admin(demo, client, admin_client):
    for _ in range(LIMIT):
        _sign_in(client, "anna", "wrong")
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "anna" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="anna")
    admin_client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}, REMOTE_ADDR="10.1.1.1"
    )
    assert _sign_in(client, "anna", DEMO_PASSWORD).status_code == 302


def test_the_pause_ends_after_the_cool_off(demo, client):
    for _ in range(LIMIT):
        _sign_in(client, "anna", "wrong")
    assert _sign_in(client, "anna", DEMO_PASSWORD).status_code == 429
    # Sixteen minutes pass for the recorded failures.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert _sign_in(client, "anna", DEMO_PASSWORD).status_code == 302
    assert _signed_in(client)


def test_attempts_during_the_pause_do_not_extend_it(demo, client):
    for _ in range(LIMIT):
        _sign_in(client, "anna", "wrong")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    for _ in range(3):
        assert _sign_in(client, "anna", "wrong").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    assert _sign_in(client, "anna", DEMO_PASSWORD).status_code == 302


def test_an_account_is_paused_whatever_address_the_guesses_come_from(demo, client):
    for number in range(LIMIT):
        _sign_in(client, "anna", "wrong", address=f"203.0.113.{number + 1}")
    assert _sign_in(Client(), "anna", DEMO_PASSWORD, address="192.0.2.50").status_code == 429
    # Another account from that address is not paused.
    assert _sign_in(Client(), "carl", DEMO_PASSWORD, address="192.0.2.50").status_code == 302


def test_an_address_is_paused_whatever_accounts_it_guesses(demo):
    for username in ["anna", "carl", "petra", "sara", "olle"]:
        _sign_in(Client(), username, "wrong", address="203.0.113.9")
    assert _sign_in(Client(), "eve", DEMO_PASSWORD, address="203.0.113.9").status_code == 429
    # The same account from another address signs in.
    assert _sign_in(Client(), "eve", DEMO_PASSWORD, address="192.0.2.51").status_code == 302


def test_forwarded_for_from_an_untrusted_client_does_not_escape_the_address_pause(demo, settings):
    settings.TRUSTED_PROXIES = []
    for number, username in enumerate(["anna", "carl", "petra", "sara", "olle"]):
        _sign_in(
            Client(), username, "wrong", address="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}",
        )  # fmt: skip
    refused = _sign_in(
        Client(), "eve", DEMO_PASSWORD, address="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert refused.status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_on_its_own(demo, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for number, username in enumerate(["anna", "carl", "petra", "sara", "olle"]):
        _sign_in(
            Client(), username, "wrong", address="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}",
        )  # fmt: skip
    # All came through the proxy, but from five clients: a sixth client is not paused.
    signed_in = _sign_in(
        Client(), "eve", DEMO_PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert signed_in.status_code == 302
    # One client behind the proxy guessing one account is paused as that client.
    for _ in range(LIMIT):
        _sign_in(Client(), "anna", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert AccessAttempt.objects.filter(ip_address="192.0.2.7").exists()
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.1").exists()


def test_the_admin_sign_in_is_throttled_too(demo, client):
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429
    assert client.get("/admin/cases/case/").status_code == 302


def test_a_successful_sign_in_clears_the_accounts_earlier_failures(demo, client):
    for _ in range(LIMIT - 1):
        _sign_in(client, "anna", "wrong")
    assert _sign_in(client, "anna", DEMO_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(LIMIT - 1):
        assert _sign_in(client, "anna", "wrong").status_code == 200
