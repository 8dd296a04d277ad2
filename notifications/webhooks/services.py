"""Writes of the webhook channel."""

from __future__ import annotations


def webhook_deliveries_for_event(event_id: int) -> None:
    """Create one delivery per matching active endpoint of the organisations concerned, and queue
    the sends. Safe to call twice for the same event (unique delivery per event and endpoint)."""
