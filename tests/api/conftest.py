"""API fixtures: a client signed in as any persona, by session or by personal token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from agencies.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Throttle counters live in the cache; start every test with a clean budget."""
    cache.clear()


@pytest.fixture
def api() -> Callable[..., APIClient]:
    """api(user) -> a client authenticated with a fresh personal token; api(None) -> anonymous."""

    def make(user=None) -> APIClient:  # type: ignore[no-untyped-def]
        client = APIClient()
        if user is not None:
            _token, secret = api_token_create(user=user, name="test")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
