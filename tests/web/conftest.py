from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


@pytest.fixture
def client_for(demo) -> Callable[[object], Client]:
    """A test client signed in as the given persona (English UI unless asked otherwise)."""

    def make(user: object, language: str = "en") -> Client:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return make
