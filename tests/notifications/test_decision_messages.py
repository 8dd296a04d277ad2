"""A committee decision over a case reads as what was decided and why."""

from __future__ import annotations

from django.utils import translation

from cases import services
from notifications.choices import EventKind
from notifications.messages import event_message
from notifications.models import Event


def _last_update(case) -> Event:  # type: ignore[no-untyped-def]
    return Event.objects.filter(case=case, kind=EventKind.CASE_UPDATED).latest("id")


def test_making_a_case_public_names_the_decision_and_its_reason(demo) -> None:
    services.case_update(
        actor=demo.anna,
        case=demo.youth,
        data={"visibility": "public"},
        reason="Kommitténs beslut 2026:14",
    )
    event = _last_update(demo.youth)
    assert "made the case public: Kommitténs beslut 2026:14" in event_message(event)
    with translation.override("sv"):
        assert "gjorde ärendet offentligt: Kommitténs beslut 2026:14" in event_message(event)


def test_handing_over_coordination_names_the_reason(demo) -> None:
    services.case_update(
        actor=demo.carl,
        case=demo.youth,
        data={"coordinator": demo.petra},
        reason="Föräldraledig från januari",
    )
    event = _last_update(demo.youth)
    assert "handed the coordination over to Petra Persson: Föräldraledig" in event_message(event)


def test_an_ordinary_edit_names_the_fields_that_changed() -> None:
    event = Event(kind=EventKind.CASE_UPDATED, payload={"changed": ["title", "target_date"]})
    assert event_message(event) == "Samverkan changed the case: title, target date"
