"""Fixtures of the operations tests: the real parts the pipeline tests use (a private Redis, a
Celery worker, an SMTP server) and the webhook tests' local receiver."""

from __future__ import annotations

from tests.notifications.conftest import own_redis, pipeline, smtp_server  # noqa: F401
from tests.webhooks.conftest import make_endpoint, receiver  # noqa: F401
