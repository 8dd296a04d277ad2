"""Notifications about figures read their numbers by kind and language."""

from __future__ import annotations

from django.utils import translation

from notifications.choices import EventKind
from notifications.messages import event_message
from notifications.models import Event


def _event(kind: str, **payload: object) -> Event:
    base = {"outcome_title": "Fler unga i sysselsättning", "unit": "%", "value_kind": "percent"}
    return Event(kind=kind, payload={**base, **payload})


def test_a_correction_reads_with_a_decimal_comma_in_swedish() -> None:
    event = _event(
        EventKind.MEASUREMENT_CORRECTED, old_value="88.50", value="86.00", reason="Dubbelräknat"
    )
    with translation.override("sv"):
        text = event_message(event)
    assert "88,5\xa0% → 86\xa0% (Dubbelräknat)" in text


def test_a_count_reads_without_decimals_and_with_its_unit() -> None:
    event = Event(
        kind=EventKind.OUTCOME_TARGET_REACHED,
        payload={
            "outcome_title": "Färre",
            "unit": "personer",
            "value_kind": "count",
            "value": "39.00",
        },
    )
    assert event_message(event) == "Target reached for “Färre”: 39\xa0personer"


def test_a_returned_value_carries_the_reviewers_comment() -> None:
    event = _event(EventKind.MEASUREMENT_RETURNED, value="101.00", comment="Över 100?")
    assert event_message(event).endswith(": Över 100?")
