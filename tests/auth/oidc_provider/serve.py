"""Start the test provider: a fresh database, one person, one client, then serve until killed.

Environment: PROVIDER_PORT, PROVIDER_DB, PROVIDER_KEY (PEM file), PROVIDER_REDIRECT_URIS
(space separated), PROVIDER_CLIENT_ID, PROVIDER_CLIENT_SECRET, PROVIDER_ID_TOKEN_SECONDS.
"""

from __future__ import annotations

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.auth.oidc_provider.settings"

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402

PERSON = {"username": "petra.provider", "password": "provider-password-1"}


def main() -> None:
    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user(
        **PERSON, email="petra@polisen.example", first_name="Petra", last_name="Polis"
    )
    redirect_uris = os.environ["PROVIDER_REDIRECT_URIS"]
    get_application_model().objects.create(
        name="Samverkan",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=redirect_uris,
        post_logout_redirect_uris=os.environ.get("PROVIDER_POST_LOGOUT_URIS", ""),
        algorithm="RS256",
        skip_authorization=True,
    )
    run("127.0.0.1", int(os.environ["PROVIDER_PORT"]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
