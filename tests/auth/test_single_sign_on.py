"""Single sign-on without a browser: the sign-in page's button, matching and creating users from a
provider's claims, and password sign-in switched off per organisation.

The full flow against a real provider runs in Chromium: tests/browser/test_single_sign_on.py.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.test import Client
from django.urls import reverse

from accounts.models import ProviderIdentity
from accounts.providers import identity_providers
from accounts.services import provider_user_sign_in
from agencies.models import Membership
from cases.demo import DEMO_PASSWORD

ISSUER = "https://login.polisen.example/"
PROVIDER = {
    "OIDC_RP_CLIENT_ID": "samverkan",
    "OIDC_OP_ISSUER": ISSUER,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{ISSUER}authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{ISSUER}token",
    "OIDC_PROVIDER_NAME": "Polisens inloggning",
}


def _sign_in(client: Client, username: str) -> bool:
    client.post(
        reverse("login"),
        {"username": username, "password": DEMO_PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )
    return "_auth_user_id" in client.session


def _claims(**overrides: str) -> dict[str, str]:
    return {
        "issuer": ISSUER,
        "subject": "a1b2c3",
        "email": "",
        "given_name": "Nils",
        "family_name": "Nyberg",
        **overrides,
    }


def test_the_sign_in_page_offers_the_organisations_provider_when_one_is_configured(
    db, client, settings
):
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    for name, value in PROVIDER.items():
        setattr(settings, name, value)
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Polisens inloggning" in page
    assert reverse("oidc_authentication_init") in page


def test_single_sign_on_addresses_are_404_while_no_provider_is_configured(db, client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_starting_single_sign_on_sends_the_browser_to_the_provider_with_pkce(db, client, settings):
    for name, value in PROVIDER.items():
        setattr(settings, name, value)
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ISSUER}authorize?")
    assert "code_challenge_method=S256" in response["Location"]
    assert "state=" in response["Location"] and "nonce=" in response["Location"]


SECOND = {
    "slug": "kommun",
    "name": "Kommunens inloggning",
    "issuer": "https://login.kommun.example/",
    "client_id": "samverkan-kommun",
    "client_secret": "secret",
    "authorization_endpoint": "https://login.kommun.example/authorize",
    "token_endpoint": "https://login.kommun.example/token",
    "user_endpoint": "https://login.kommun.example/userinfo",
    "jwks_endpoint": "https://login.kommun.example/jwks",
}


def test_a_second_provider_has_its_own_button_and_starts_the_flow_with_its_own_client(
    db, client, settings
):
    for name, value in PROVIDER.items():
        setattr(settings, name, value)
    settings.OIDC_PROVIDERS = [SECOND]
    page = client.get(reverse("login")).content.decode()
    assert (
        "Sign in with Polisens inloggning" in page and "Sign in with Kommunens inloggning" in page
    )
    response = client.get(reverse("oidc_provider_sign_in", args=["kommun"]))
    assert response["Location"].startswith("https://login.kommun.example/authorize?")
    assert "client_id=samverkan-kommun" in response["Location"]
    assert client.session["oidc_provider"] == "kommun"
    response = client.get(reverse("oidc_provider_sign_in", args=["sso"]))
    assert response["Location"].startswith(f"{ISSUER}authorize?")
    assert client.session["oidc_provider"] == "sso"
    assert client.get(reverse("oidc_provider_sign_in", args=["okand"])).status_code == 404


def test_a_callback_without_a_flow_started_here_ends_on_the_sign_in_page(db, client, settings):
    for name, value in PROVIDER.items():
        setattr(settings, name, value)
    response = client.get(reverse("oidc_authentication_callback") + "?code=x&state=y")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_two_providers_with_one_name_are_a_configuration_error(db, settings):
    for name, value in PROVIDER.items():
        setattr(settings, name, value)
    settings.OIDC_PROVIDERS = [{**SECOND, "slug": "sso"}]
    with pytest.raises(ImproperlyConfigured):
        identity_providers()


def test_a_person_new_to_samverkan_becomes_a_member_of_the_providers_organisation(demo, settings):
    settings.OIDC_PROVIDER_ORGANISATION_NUMBER = demo.orgs.police.organisation_number
    user = provider_user_sign_in(**_claims(email="nils@polisen.example"))
    assert (user.first_name, user.last_name) == ("Nils", "Nyberg")
    assert user.email == "nils@polisen.example"
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (demo.orgs.police.pk, "member")
    ]


def test_the_same_subject_is_the_same_user_whatever_the_claims_say_later(demo, settings):
    settings.OIDC_PROVIDER_ORGANISATION_NUMBER = demo.orgs.police.organisation_number
    first = provider_user_sign_in(**_claims())
    again = provider_user_sign_in(**_claims(given_name="Other", email="other@example.org"))
    assert again.pk == first.pk
    assert again.first_name == "Nils"
    assert ProviderIdentity.objects.filter(user=first).count() == 1


def test_a_brokers_identity_number_as_subject_is_matched_but_never_stored(demo, settings):
    settings.OIDC_PROVIDER_ORGANISATION_NUMBER = demo.orgs.police.organisation_number
    first = provider_user_sign_in(**_claims(subject="198112189876"))
    assert provider_user_sign_in(**_claims(subject="198112189876")).pk == first.pk
    stored = ProviderIdentity.objects.get(user=first).subject
    assert "198112189876" not in stored and "8112189876" not in stored and len(stored) == 64
    assert provider_user_sign_in(**_claims(subject="198112189877")).pk != first.pk


def test_a_verified_email_links_the_existing_account_and_keeps_its_memberships(demo, settings):
    settings.OIDC_PROVIDER_ORGANISATION_NUMBER = demo.orgs.sodertalje.organisation_number
    user = provider_user_sign_in(**_claims(email=demo.petra.email.upper()))
    assert user.pk == demo.petra.pk
    organisations = set(Membership.objects.filter(user=user).values_list("organisation", flat=True))
    assert organisations == {demo.orgs.police.pk}, "the provider changed petra's memberships"


def test_an_operators_account_is_never_taken_over_by_email(demo, settings):
    settings.OIDC_PROVIDER_ORGANISATION_NUMBER = demo.orgs.police.organisation_number
    demo.admin.email = "ada@samverkan.example"
    demo.admin.save(update_fields=["email"])
    user = provider_user_sign_in(**_claims(email="ADA@samverkan.example"))
    assert user.pk != demo.admin.pk


def test_without_a_providers_organisation_nobody_new_is_created(demo, settings):
    settings.OIDC_PROVIDER_ORGANISATION_NUMBER = ""
    before = get_user_model().objects.count()
    with pytest.raises(SuspiciousOperation):
        provider_user_sign_in(**_claims(email="nobody@example.org"))
    assert get_user_model().objects.count() == before


def test_an_organisation_that_switched_off_passwords_signs_in_only_through_its_provider(demo):
    police = demo.orgs.police
    police.password_sign_in = False
    police.save(update_fields=["password_sign_in"])
    client = Client()
    assert not _sign_in(client, "petra")
    page = client.post(
        reverse("login"),
        {"username": "petra", "password": DEMO_PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    ).content.decode()
    assert "signs in through its own identity provider" in page
    assert _sign_in(Client(), "anna"), "members of other organisations keep their password"
