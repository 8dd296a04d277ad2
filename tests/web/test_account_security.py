"""Accounts: tokens end with the password, the account page lists them, resets throttled."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import ApiToken
from agencies.services import api_token_create

NEW_PASSWORD = "ett-nytt-losenord-42"


def _token_works(secret: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/me/").status_code == 200


def _set_rates(settings, **rates: str) -> None:  # type: ignore[no-untyped-def]
    merged = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}


# Personal API tokens are revoked when the password changes


def test_changing_the_password_in_the_web_form_revokes_the_users_tokens(demo, client_for) -> None:
    _token, secret = api_token_create(user=demo.sara, name="Ärendesystem")
    _other, others_secret = api_token_create(user=demo.petra, name="Polisens system")
    assert _token_works(secret)
    response = client_for(demo.sara).post(
        reverse("password_change"),
        {
            "old_password": "samverkan-demo",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not _token_works(secret)
    assert ApiToken.objects.get(key_hash=_token.key_hash).revoked_at is not None
    assert _token_works(others_secret)


def test_a_password_reset_by_email_revokes_the_users_tokens(demo, client, mailoutbox) -> None:
    _token, secret = api_token_create(user=demo.anna, name="Skript")
    client.post(reverse("password_reset"), {"email": demo.anna.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert client.login(username="anna", password=NEW_PASSWORD)
    assert not _token_works(secret)


def test_an_operator_setting_a_password_in_the_admin_revokes_the_users_tokens(
    demo, admin_client
) -> None:
    _token, secret = api_token_create(user=demo.olle, name="Fryshusets system")
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[demo.olle.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not _token_works(secret)


@pytest.mark.parametrize("how", ["set_password", "queryset update", "unusable password"])
def test_any_other_way_of_changing_the_password_revokes_the_tokens(demo, how) -> None:
    _token, secret = api_token_create(user=demo.carl, name="Samordnarens skript")
    user = get_user_model().objects.get(pk=demo.carl.pk)
    if how == "set_password":
        user.set_password(NEW_PASSWORD)
        user.save()
    elif how == "queryset update":
        get_user_model().objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))
    else:
        user.set_unusable_password()
        user.save()
    assert not _token_works(secret)


def test_a_hash_upgrade_when_signing_in_keeps_the_tokens(demo, settings) -> None:
    """Django re-hashes a password with a newer hasher at sign-in; that is not a change."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = get_user_model().objects.get(pk=demo.carl.pk)
    user.password = make_password("samverkan-demo", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    _token, secret = api_token_create(user=user, name="Samordnarens skript")
    assert Client().login(username="carl", password="samverkan-demo")
    assert get_user_model().objects.get(pk=user.pk).password.startswith("md5$")
    assert _token_works(secret)


def test_a_new_token_made_after_the_change_works(demo) -> None:
    user = get_user_model().objects.get(pk=demo.carl.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    _token, secret = api_token_create(user=user, name="Nytt")
    assert _token_works(secret)


# The account page lists the user's tokens


def test_the_account_page_lists_my_tokens_with_created_last_used_and_revoke(
    demo, client_for
) -> None:
    token, secret = api_token_create(user=demo.sara, name="Kommunens ärendesystem")
    api_token_create(user=demo.petra, name="Polisens hemliga system")
    assert _token_works(secret)
    response = client_for(demo.sara).get(reverse("account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommunens ärendesystem" in html and token.prefix in html
    assert "Polisens hemliga system" not in html
    assert "Created" in html and "Last used" in html
    assert reverse("account_token_revoke", args=[token.pk]) in html
    assert "Revoke" in html
    assert reverse("password_change") in html


def test_revoking_a_token_on_the_account_page_stops_it(demo, client_for) -> None:
    token, secret = api_token_create(user=demo.sara, name="Gammalt skript")
    response = client_for(demo.sara).post(
        reverse("account_token_revoke", args=[token.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Revoked" in response.content.decode()
    assert not _token_works(secret)


def test_someone_elses_token_cannot_be_revoked_and_is_a_404(demo, client_for) -> None:
    token, secret = api_token_create(user=demo.petra, name="Polisens system")
    response = client_for(demo.eve).post(reverse("account_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert _token_works(secret)


def test_the_account_page_needs_a_signed_in_user(demo, client) -> None:
    response = client.get(reverse("account"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_header_links_to_the_account_page(demo, client_for) -> None:
    html = client_for(demo.olle).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("account")}"' in html


# Password-reset requests are throttled per address and per client address


def test_fifteen_reset_requests_for_one_address_send_only_three_emails(
    demo, client, mailoutbox
) -> None:
    answers = [
        client.post(reverse("password_reset"), {"email": demo.anna.email}) for _ in range(15)
    ]
    assert len(mailoutbox) == 3
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("password_reset_done"))
    }


def test_the_throttled_answer_is_the_same_for_unknown_addresses(demo, client, mailoutbox) -> None:
    answers = [
        client.post(reverse("password_reset"), {"email": "ingen@example.org"}) for _ in range(5)
    ]
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert mailoutbox == []


def test_one_client_cannot_mail_many_addresses(demo, client, mailoutbox, settings) -> None:
    _set_rates(settings, password_reset_client="2/hour")
    for user in (demo.anna, demo.carl, demo.petra, demo.sara):
        response = client.post(reverse("password_reset"), {"email": user.email})
        assert response.status_code == 302
    assert len(mailoutbox) == 2
    other = Client(REMOTE_ADDR="198.51.100.20")
    other.post(reverse("password_reset"), {"email": demo.olle.email})
    assert len(mailoutbox) == 3


def test_password_reset_still_works_when_the_cache_is_down(demo, client, mailoutbox, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.post(reverse("password_reset"), {"email": demo.anna.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
