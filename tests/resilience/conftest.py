"""Fixtures of the fault tests: the pipeline's real parts (tests/notifications/conftest.py)."""

from __future__ import annotations

from tests.notifications.conftest import own_redis, smtp_server  # noqa: F401 - fixtures
