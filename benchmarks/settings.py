"""Settings for the API benchmark: production settings plus the bare comparison view."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
