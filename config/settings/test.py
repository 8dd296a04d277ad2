"""Test settings: fast hashing, emails kept in memory unless a test starts a real SMTP server."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DEBUG", "on")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
# Unit tests run Celery tasks in-process; the integration tests start real workers on Redis.
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "en"
# Unit tests see an email at once; the email-count test sets the burst window it plays with.
NOTIFICATIONS_EMAIL_BURST_WINDOW = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Attachments go to a directory of the test run's own, never the working tree's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="samverkan-test-media-")
