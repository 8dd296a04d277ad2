"""Fixtures of the fault tests: the pipeline's real parts (tests/notifications/conftest.py) and
the webhook receiver (tests/webhooks/conftest.py)."""

from __future__ import annotations

from tests.notifications.conftest import own_redis, smtp_server  # noqa: F401 - fixtures
from tests.webhooks.conftest import make_endpoint, receiver  # noqa: F401 - fixtures
