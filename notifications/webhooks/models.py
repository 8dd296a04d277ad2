"""Webhook endpoints, deliveries and attempts (imported by notifications.models)."""

from __future__ import annotations
