"""Single sign-on in Chromium against a real OpenID Connect provider on 127.0.0.1.

The provider (django-oauth-toolkit in its own process, tests/auth/oidc_provider) has its own
sign-in page, users and keys. The story: "Sign in with <provider>" on the sign-in page, the
provider's page, back signed in as a new member of the provider's organisation (authorization
code with PKCE: the provider refuses a code request without a challenge); sign-out ends the
provider's session too. Refused, each ending on the sign-in page with a message and nobody signed
in: a wrong state, a replayed code, an expired ID token, an unknown issuer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import ProviderIdentity
from agencies.models import Membership, Organisation
from config.csp import content_security_policy
from tests.auth.provider import PERSON, PROVIDER_NAME, Provider, running_provider
from tests.browser.axe import axe_violations, describe

REFUSED = "did not succeed"
SIGN_OUT = f"header form[action='{reverse('logout')}']"


@pytest.fixture(scope="module")
def provider_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("provider")


@pytest.fixture(scope="module")
def provider(site, provider_folder: Path) -> Iterator[Provider]:
    with running_provider(provider_folder, site=site.base) as running:
        yield running


@pytest.fixture(scope="module")
def police(site, django_db_blocker) -> Organisation:
    with django_db_blocker.unblock():
        return site.demo.orgs.police


@pytest.fixture
def signed_in_through(provider: Provider, police: Organisation, django_db_blocker):
    """Samverkan pointed at `provider`, new users join the police; their accounts go after."""
    with override_settings(
        **provider.settings(OIDC_PROVIDER_ORGANISATION_NUMBER=police.organisation_number)
    ):
        yield provider
    with django_db_blocker.unblock():
        get_user_model().objects.filter(provider_identities__isnull=False).delete()


def _record(page: Page, part: str) -> list[str]:
    """Every URL the page requests that contains `part`, redirect hops included."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if part in request.url else None)
    return seen


def _state_at_provider(page: Page) -> str:
    """The state of the flow waiting on the provider's sign-in page (in its `next` address)."""
    authorize = parse_qs(urlsplit(page.url).query)["next"][0]
    return parse_qs(urlsplit(authorize).query)["state"][0]


def _sign_in_at_provider(page: Page) -> None:
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.wait_for_url("**/login/**")
    page.locator("[name=username]").fill(PERSON["username"])
    page.locator("[name=password]").fill(PERSON["password"])
    page.locator("button[type=submit]").click()


def _refused(page: Page) -> None:
    page.wait_for_url(f"**{reverse('login')}")
    expect(page.locator(".messages")).to_contain_text(REFUSED)
    expect(page.locator(SIGN_OUT)).to_have_count(0)


def _with_state(url: str, state: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return f"{parts.path}?{urlencode({**query, 'state': state})}"


def test_a_new_person_signs_in_through_the_provider_and_joins_its_organisation(
    open_as, signed_in_through, police, django_db_blocker
):
    page = open_as(None, language="en")
    page.goto(reverse("login"))
    violations = axe_violations(page)
    assert not violations, describe(violations)
    authorize = []
    page.on("request", lambda r: authorize.append(r.url) if "/o/authorize/" in r.url else None)

    _sign_in_at_provider(page)

    page.wait_for_url(f"**{reverse('dashboard')}")
    expect(page.locator(SIGN_OUT)).to_have_count(1)
    query = parse_qs(urlsplit(authorize[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    with django_db_blocker.unblock():
        identity = ProviderIdentity.objects.select_related("user").get(
            issuer=signed_in_through.issuer
        )
        user = identity.user
        assert (user.first_name, user.last_name, user.email) == (
            "Petra",
            "Polis",
            "petra@polisen.example",
        )
        assert not user.has_usable_password()
        assert Membership.objects.filter(user=user, organisation=police, role="member").exists()
        stored = " ".join(
            str(value)
            for value in get_user_model().objects.filter(pk=user.pk).values().first().values()
        )
        assert "198112189876" not in stored, "the broker's identity number was stored"


def test_signing_out_ends_the_providers_session_too(open_as, signed_in_through):
    page = open_as(None, language="en")
    page.goto(reverse("login"))
    _sign_in_at_provider(page)
    page.wait_for_url(f"**{reverse('dashboard')}")
    expect(page.locator(SIGN_OUT)).to_have_count(1)

    with page.expect_navigation():
        page.locator(f"header form[action='{reverse('logout')}'] button").click()
    page.wait_for_url(f"**{reverse('login')}")

    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.wait_for_url("**/login/**")
    assert f":{signed_in_through.port}/" in page.url, "the provider still had a session"


def test_a_wrong_state_is_refused_and_the_right_one_still_signs_in(open_as, signed_in_through):
    page = open_as(None, language="en")
    page.goto(reverse("login"))
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.wait_for_url("**/login/**")
    state = _state_at_provider(page)
    # The provider sends back whatever state it was given: here not the one this browser holds.
    forged = page.locator("[name=next]").input_value().replace(state, "forged-state")
    page.locator("[name=next]").evaluate("(field, value) => { field.value = value; }", forged)
    page.locator("[name=username]").fill(PERSON["username"])
    page.locator("[name=password]").fill(PERSON["password"])
    page.locator("button[type=submit]").click()
    _refused(page)

    # The provider's session is there now; the real flow goes straight through.
    page.goto(reverse("login"))
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.wait_for_url(f"**{reverse('dashboard')}")
    expect(page.locator(SIGN_OUT)).to_have_count(1)


def test_a_replayed_code_is_refused(open_as, signed_in_through):
    first = open_as(None, language="en")
    callbacks = _record(first, "/oidc/callback/")
    first.goto(reverse("login"))
    _sign_in_at_provider(first)
    first.wait_for_url(f"**{reverse('dashboard')}")
    expect(first.locator(SIGN_OUT)).to_have_count(1)
    code_url = callbacks[0]

    # The same answer again from the browser's history after signing out: its state is used up.
    with first.expect_navigation():
        first.locator(f"{SIGN_OUT} button").click()
    first.wait_for_url(f"**{reverse('login')}")
    first.goto(code_url)
    _refused(first)

    # Another browser with a state of its own and the used code: the provider refuses the code.
    second = open_as(None, language="en")
    second.goto(reverse("login"))
    second.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    second.wait_for_url("**/login/**")
    second.goto(_with_state(code_url, _state_at_provider(second)))
    _refused(second)


def test_an_expired_id_token_is_refused(open_as, site, provider_folder, police):
    with (
        running_provider(provider_folder, site=site.base, id_token_seconds=-600) as expired,
        override_settings(
            **expired.settings(OIDC_PROVIDER_ORGANISATION_NUMBER=police.organisation_number)
        ),
    ):
        page = open_as(None, language="en")
        page.goto(reverse("login"))
        _sign_in_at_provider(page)
        _refused(page)


def test_tokens_from_an_unknown_issuer_are_refused(open_as, provider, police):
    with override_settings(
        **provider.settings(
            OIDC_OP_ISSUER="https://login.example.org/other-organisation",
            OIDC_PROVIDER_ORGANISATION_NUMBER=police.organisation_number,
        )
    ):
        page = open_as(None, language="en")
        page.goto(reverse("login"))
        _sign_in_at_provider(page)
        _refused(page)


SECOND_NAME = "Södertälje kommuns inloggning"


@pytest.fixture(scope="module")
def second_provider(site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("second-provider"), site=site.base) as running:
        yield running


@pytest.fixture
def two_providers(provider, second_provider, police, site, django_db_blocker):
    """The police's provider from the OIDC_* settings and the municipality's from
    OIDC_PROVIDERS; new people join the organisation whose provider vouched for them."""
    with django_db_blocker.unblock():
        municipality = site.demo.orgs.sodertalje
        municipality.organisation_number = municipality.organisation_number or "2120000142"
        municipality.save(update_fields=["organisation_number"])
    second = second_provider.settings()
    entry = {
        "slug": "sodertalje",
        "name": SECOND_NAME,
        "issuer": second["OIDC_OP_ISSUER"],
        "client_id": second["OIDC_RP_CLIENT_ID"],
        "client_secret": second["OIDC_RP_CLIENT_SECRET"],
        "authorization_endpoint": second["OIDC_OP_AUTHORIZATION_ENDPOINT"],
        "token_endpoint": second["OIDC_OP_TOKEN_ENDPOINT"],
        "user_endpoint": second["OIDC_OP_USER_ENDPOINT"],
        "jwks_endpoint": second["OIDC_OP_JWKS_ENDPOINT"],
        "logout_endpoint": second["OIDC_OP_LOGOUT_ENDPOINT"],
        "organisation_number": municipality.organisation_number,
    }
    policy = content_security_policy(
        provider_logout_endpoints=[f"{provider.issuer}/logout/", entry["logout_endpoint"]]
    )
    with override_settings(
        **provider.settings(
            OIDC_PROVIDER_ORGANISATION_NUMBER=police.organisation_number,
            OIDC_PROVIDERS=[entry],
            CONTENT_SECURITY_POLICY=policy,
        )
    ):
        yield municipality
    with django_db_blocker.unblock():
        get_user_model().objects.filter(provider_identities__isnull=False).delete()


def test_with_two_providers_each_signs_its_people_into_its_own_organisation(
    open_as, two_providers, second_provider, police, django_db_blocker
):
    page = open_as(None, language="en")
    page.goto(reverse("login"))
    expect(page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}")).to_have_count(1)
    page.get_by_role("link", name=f"Sign in with {SECOND_NAME}").click()
    page.wait_for_url(f"{second_provider.issuer.removesuffix('/o')}/**/login/**")
    page.locator("[name=username]").fill(PERSON["username"])
    page.locator("[name=password]").fill(PERSON["password"])
    page.locator("button[type=submit]").click()

    page.wait_for_url(f"**{reverse('dashboard')}")
    expect(page.locator(SIGN_OUT)).to_have_count(1)
    with django_db_blocker.unblock():
        identity = ProviderIdentity.objects.select_related("user").get()
        assert identity.issuer == second_provider.issuer
        organisations = set(
            Membership.objects.filter(user=identity.user).values_list("organisation", flat=True)
        )
        assert organisations == {two_providers.pk}, "joined the second provider's organisation"

    # Sign-out ends the session at the provider it started with, not the first one.
    seen = _record(page, "/o/logout/")
    with page.expect_navigation():
        page.locator(f"header form[action='{reverse('logout')}'] button").click()
    page.wait_for_url(f"**{reverse('login')}")
    assert seen and all(url.startswith(second_provider.issuer) for url in seen)
