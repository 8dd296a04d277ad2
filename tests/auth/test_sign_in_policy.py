"""An organisation's admin decides whether its members may sign in with a password or only
through single sign-on, on the organisation's page; each change is kept with who made it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from agencies.models import Organisation, SignInPolicyChange
from cases.demo import DEMO_PASSWORD


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _single_sign_on(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_RP_CLIENT_ID = "samverkan"
    settings.OIDC_OP_ISSUER = "http://127.0.0.1:9/o"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "http://127.0.0.1:9/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/o/token/"


def _password_sign_in_works(username: str) -> bool:
    client = Client()
    client.post(
        reverse("login"),
        {"username": username, "password": DEMO_PASSWORD},
        REMOTE_ADDR="198.51.100.10",
    )
    return "_auth_user_id" in client.session


def test_the_admin_switches_password_sign_in_off_and_the_members_use_single_sign_on(
    demo, settings
) -> None:
    _single_sign_on(settings)
    police, petra = demo.orgs.police, demo.petra  # petra is the police's admin
    admin = _client(petra)
    page = admin.get(reverse("organisation_detail", args=[police.pk])).content.decode()
    assert "Members may sign in with a password" in page
    response = admin.post(reverse("organisation_sign_in", args=[police.pk]), {})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=police.pk).password_sign_in is False
    change = SignInPolicyChange.objects.get(organisation=police)
    assert change.changed_by == petra and change.password_sign_in is False
    page = admin.get(response["Location"]).content.decode()
    assert "Password sign-in switched off by Petra" in page
    assert "Members now sign in only through single sign-on." in page
    assert not _password_sign_in_works("petra")
    assert _password_sign_in_works("anna"), "other organisations keep their password"
    _client(petra).post(
        reverse("organisation_sign_in", args=[police.pk]), {"password_sign_in": "on"}
    )
    assert _password_sign_in_works("petra")
    assert SignInPolicyChange.objects.filter(organisation=police).count() == 2


def test_without_single_sign_on_it_cannot_be_switched_off_and_the_field_says_why(demo) -> None:
    police = demo.orgs.police
    response = _client(demo.petra).post(reverse("organisation_sign_in", args=[police.pk]), {})
    assert response.status_code == 400
    assert "Single sign-on is not set up" in response.content.decode()
    assert Organisation.objects.get(pk=police.pk).password_sign_in is True
    assert not SignInPolicyChange.objects.exists()


def test_only_the_organisations_admins_see_and_use_the_switch(demo, settings) -> None:
    _single_sign_on(settings)
    police = demo.orgs.police
    for user in (demo.sara, demo.anna):  # another organisation's admin; the committee
        page = _client(user).get(reverse("organisation_detail", args=[police.pk]))
        assert "Members may sign in with a password" not in page.content.decode()
        response = _client(user).post(reverse("organisation_sign_in", args=[police.pk]), {})
        assert response.status_code == 404
    assert Organisation.objects.get(pk=police.pk).password_sign_in is True
