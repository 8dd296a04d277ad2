"""API fixtures: a client signed in as any persona, by session or by personal token."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from agencies.services import api_token_create


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each of Schemathesis's tests its own id again: `test_...[GET /api/v1/cases/]`.

    Schemathesis names a test per operation so, but pytest 9.2 builds an item's id from its
    parametrization, which Schemathesis does not use: a persona's 63 tests shared one id.
    pytest-xdist schedules by id and ran one of them (and reports could not tell them apart).
    """
    for item in items:
        node_id = getattr(item, "_id", None)  # pytest >= 9.2; older ones keep the name's brackets
        original = getattr(item, "originalname", item.name)
        named = item.name.startswith(f"{original}[") and item.name.endswith("]")
        if named and getattr(node_id, "params", "") is None:
            item._id = node_id.with_params(item.name[len(original) + 1 : -1])


@pytest.fixture(autouse=True)
def _fresh_throttles(settings) -> None:  # type: ignore[no-untyped-def]
    """Throttle counters live in the cache; each test counts under its own key prefix.

    Never `cache.clear()`: with REDIS_URL set that would flush a database the broker shares.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-api-{uuid.uuid4().hex}"
    settings.CACHES = caches


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
