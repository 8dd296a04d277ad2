"""Start and stop the test OpenID Connect provider (tests/auth/oidc_provider) on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from config.csp import content_security_policy

CLIENT_ID = "samverkan-test"
CLIENT_SECRET = "samverkan-test-secret-0123456789"
PROVIDER_NAME = "Polismyndighetens inloggning"
PERSON = {"username": "petra.provider", "password": "provider-password-1"}


@dataclass
class Provider:
    """A running provider: its issuer and the settings that point Samverkan at it."""

    port: int
    process: subprocess.Popen

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}/o"

    def settings(self, **overrides: Any) -> dict[str, Any]:
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/.well-known/jwks.json",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/logout/",
            "OIDC_PROVIDER_NAME": PROVIDER_NAME,
            "CONTENT_SECURITY_POLICY": content_security_policy(
                provider_logout_endpoint=f"{self.issuer}/logout/"
            ),
            **overrides,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _private_key(path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


@contextmanager
def running_provider(folder: Path, *, site: str, id_token_seconds: int = 300) -> Iterator[Provider]:
    """A provider process whose only client is Samverkan at `site` (its callback and sign-in)."""
    port = _free_port()
    env = {
        **os.environ,
        "PROVIDER_PORT": str(port),
        "PROVIDER_DB": str(folder / f"provider-{port}.sqlite3"),
        "PROVIDER_KEY": str(_private_key(folder / f"provider-{port}.pem")),
        "PROVIDER_REDIRECT_URIS": f"{site}/oidc/callback/",
        "PROVIDER_POST_LOGOUT_URIS": f"{site}/accounts/login/",
        "PROVIDER_CLIENT_ID": CLIENT_ID,
        "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "PROVIDER_ID_TOKEN_SECONDS": str(id_token_seconds),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.auth.oidc_provider.serve"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    provider = Provider(port=port, process=process)
    try:
        _wait_until_up(provider)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(provider: Provider) -> None:
    deadline = time.monotonic() + 30
    url = f"{provider.issuer}/.well-known/openid-configuration"
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise RuntimeError(provider.process.stderr.read().decode()[-2000:])
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or listening but still loading its first request on a busy
            # machine: ask again until the deadline.
            pass
        time.sleep(0.2)
    raise RuntimeError("the test provider did not start")
