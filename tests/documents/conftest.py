"""Fixtures for attachments: signed-in clients and a file on the restricted youth case."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from documents import services
from documents.models import Attachment
from tests.api.conftest import _fresh_throttles, api  # noqa: F401 - the API tests' fixtures
from tests.documents.files import pdf


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def client_for(demo) -> Callable[..., Client]:
    def make(user: object | None, language: str = "en") -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return make


@pytest.fixture
def youth_file(demo: SimpleNamespace) -> Attachment:
    """A PDF Carl attached to the restricted youth case."""
    return services.attachment_add(
        actor=demo.carl, owner=demo.youth, title="Lägesbild hösten", file=pdf()
    )
