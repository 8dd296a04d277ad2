"""Taking and revoking decisions: who may, what is refused, who hears of it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from decisions.choices import DecidedBy
from decisions.models import Decision
from decisions.services import decision_take
from meetings.models import Meeting
from notifications.choices import EventKind
from notifications.models import Event, Notification
from tests.helpers import nothing_written

TODAY = timezone.localdate


def _take(demo, **kwargs) -> Decision:  # type: ignore[no-untyped-def]
    fields = {"actor": demo.anna, "case": demo.youth, "decided_on": TODAY(), "text": "Beslut."}
    return decision_take(**{**fields, **kwargs})


def test_only_committee_members_record_decisions(demo) -> None:
    with nothing_written(), pytest.raises(PermissionDenied):
        _take(demo, actor=demo.carl)


def test_a_later_decision_revokes_an_earlier_one_which_then_shows_who_revoked_it(demo) -> None:
    earlier = _take(demo, text="Lägesbild senast i mars.")
    later = _take(demo, text="Beslutet om lägesbild upphävs.", revokes=earlier)
    earlier.refresh_from_db()
    assert earlier.revoked_by == later
    assert later.revokes == earlier


def test_a_decision_is_revoked_only_once(demo) -> None:
    earlier = _take(demo)
    _take(demo, revokes=earlier)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _take(demo, revokes=earlier)
    assert "already been revoked" in str(refused.value.message_dict["revokes"])


def test_a_decision_cannot_revoke_one_on_another_case(demo) -> None:
    on_care = _take(demo, case=demo.care)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _take(demo, revokes=on_care)
    assert "same case" in str(refused.value.message_dict["revokes"])


def test_a_decision_cannot_revoke_one_taken_after_it(demo) -> None:
    recent = _take(demo)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _take(demo, decided_on=TODAY() - timedelta(days=3), revokes=recent)
    assert "taken before it" in str(refused.value.message_dict["revokes"])


def test_nothing_but_a_decision_revokes_or_deletes_a_decision(demo, admin_client) -> None:
    decision = _take(demo)
    url = f"/admin/decisions/decision/{decision.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_delegated_decision_names_a_committee_member_and_no_meeting(demo) -> None:
    with pytest.raises(ValidationError) as refused:
        _take(demo, decided_by=DecidedBy.DELEGATE)
    assert "delegate" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _take(demo, decided_by=DecidedBy.DELEGATE, delegate=demo.petra)
    assert "member of the committee" in str(refused.value.message_dict["delegate"])
    decision = _take(demo, decided_by=DecidedBy.DELEGATE, delegate=demo.anna)
    assert decision.delegate == demo.anna


def test_a_decision_at_a_meeting_is_dated_the_day_of_the_meeting(demo) -> None:
    held = timezone.now() - timedelta(days=7)
    meeting = Meeting.objects.create(title="Kommitténs möte", starts_at=held, created_by=demo.anna)
    with pytest.raises(ValidationError) as refused:
        _take(demo, meeting=meeting, decided_on=TODAY())
    assert "day of the meeting" in str(refused.value.message_dict["decided_on"])
    decision = _take(demo, meeting=meeting, decided_on=timezone.localdate(held))
    assert decision.meeting == meeting


def test_a_decision_cannot_be_dated_in_the_future(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _take(demo, decided_on=TODAY() + timedelta(days=1))
    assert "decided_on" in refused.value.message_dict


def test_a_personal_identity_number_in_the_text_is_refused(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as refused:
        _take(demo, text="Gäller 19811218-9876 som flyttar.")
    assert "text" in refused.value.message_dict


def test_coordinator_and_participants_contacts_hear_of_a_decision_on_their_case(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        earlier = _take(demo, text="Lägesbild senast i mars.")
        _take(demo, text="Upphävs.", revokes=earlier)
    taken = Event.objects.filter(kind=EventKind.DECISION_TAKEN).latest("pk")
    revoked = Event.objects.filter(kind=EventKind.DECISION_REVOKED).latest("pk")
    for event in (taken, revoked):
        recipients = set(
            Notification.objects.filter(event=event).values_list("recipient", flat=True)
        )
        assert {demo.carl.pk, demo.sara.pk, demo.petra.pk} <= recipients  # coordinator, contacts
        assert demo.eve.pk not in recipients and demo.anna.pk not in recipients
    assert revoked.payload["revoked_by"] == taken.payload["reference"]


def test_numbers_follow_the_date_of_the_decision(demo) -> None:
    decision = _take(demo, decided_on=date(2021, 5, 4))
    assert decision.reference == "2021:1"
