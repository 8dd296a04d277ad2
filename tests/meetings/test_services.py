"""Meetings, agendas and minutes: who may do what, and what stays locked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.choices import ItemKind, ItemState
from meetings.demo import COMING_MEETING_TITLE, PAST_MEETING_TITLES
from meetings.models import Meeting, MinutesVersion
from notifications.choices import EventKind
from notifications.models import Event
from tests.helpers import nothing_written


def test_the_committee_members_are_expected_at_a_new_meeting(meeting, demo, bertil) -> None:
    assert set(meeting.expected_members.all()) == {demo.anna, bertil}


def test_a_meeting_needs_a_place_or_a_link(demo) -> None:
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=demo.anna, title="Utan plats", starts_at=timezone.now() + timedelta(days=1)
        )
    assert "place" in error.value.message_dict


def test_outsiders_cannot_create_meetings(demo) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=demo.petra, title="X", starts_at=timezone.now(), place="Polishuset"
        )


def test_a_coordinator_proposes_an_item_and_the_secretariat_takes_it_up(meeting, demo) -> None:
    item = services.agenda_item_propose(
        actor=demo.carl,
        meeting=meeting,
        case=demo.youth,
        kind=ItemKind.PROPOSAL,
        title="Förslag: gemensam lägesbild",
    )
    assert item.state == ItemState.PROPOSED
    services.agenda_item_decide(actor=demo.carl, item=item, take_up=True)
    item.refresh_from_db()
    assert item.state == ItemState.ON_AGENDA


def test_a_partner_cannot_propose_an_item_about_a_case_it_does_not_coordinate(
    meeting, demo
) -> None:
    with pytest.raises(PermissionDenied):
        services.agenda_item_propose(
            actor=demo.petra, meeting=meeting, case=demo.youth, kind="proposal", title="X"
        )


def test_declining_a_proposal_needs_a_reason(agenda, meeting, demo) -> None:
    item = services.agenda_item_propose(
        actor=demo.carl, meeting=meeting, case=demo.youth, kind="proposal", title="Y"
    )
    with pytest.raises(ValidationError):
        services.agenda_item_decide(actor=demo.anna, item=item, take_up=False, reason=" ")


def test_the_agenda_is_ordered_by_the_secretariat(agenda, meeting, demo) -> None:
    services.agenda_order(
        actor=demo.anna, meeting=meeting, item_ids=[agenda.other.pk, agenda.report.pk]
    )
    assert list(meeting.items.order_by("position").values_list("pk", flat=True)) == [
        agenda.other.pk,
        agenda.report.pk,
    ]
    with pytest.raises(ValidationError):
        services.agenda_order(actor=demo.anna, meeting=meeting, item_ids=[agenda.other.pk])


def test_sending_the_agenda_records_one_event_for_the_pipeline(agenda, meeting, demo) -> None:
    services.agenda_send(actor=demo.anna, meeting=meeting)
    event = Event.objects.get(kind=EventKind.MEETING_AGENDA_SENT, object_id=meeting.pk)
    assert event.payload["title"] == meeting.title
    assert event.case is None


def test_an_agenda_without_items_is_not_sent(meeting, demo) -> None:
    with pytest.raises(ValidationError):
        services.agenda_send(actor=demo.anna, meeting=meeting)
    assert not Event.objects.filter(
        kind=EventKind.MEETING_AGENDA_SENT, object_id=meeting.pk
    ).exists()


def test_adjusted_minutes_are_locked_and_a_correction_is_a_new_version(
    agenda, demo, bertil
) -> None:
    draft = services.minutes_write(actor=demo.anna, item=agenda.report, text="Rapporten noterades.")
    services.minutes_write(
        actor=demo.anna, item=agenda.report, text="Rapporten lades till handlingarna."
    )
    with pytest.raises(PermissionDenied):
        services.minutes_adjust(actor=demo.anna, version=draft)  # not the writer herself
    services.minutes_adjust(actor=bertil, version=draft)
    with nothing_written(), pytest.raises(ValidationError):
        services.minutes_write(actor=demo.anna, item=agenda.report, text="Ändrat i efterhand")
    draft.refresh_from_db()
    assert draft.text == "Rapporten lades till handlingarna."
    correction = services.minutes_correct(
        actor=demo.anna, item=agenda.report, text="Rättad text", reason="Fel datum i rapporten"
    )
    assert correction.number == 2 and not correction.is_adjusted
    assert MinutesVersion.objects.get(pk=draft.pk).text == "Rapporten lades till handlingarna."
    adjusted = Event.objects.filter(kind=EventKind.MEETING_MINUTES_ADJUSTED)
    assert adjusted.filter(object_id=agenda.report.meeting_id).count() == 1


def test_only_committee_members_adjust_minutes(agenda, demo) -> None:
    version = services.minutes_write(actor=demo.anna, item=agenda.report, text="Text")
    with pytest.raises(PermissionDenied):
        services.minutes_adjust(actor=demo.carl, version=version)


def test_the_invitation_is_a_calendar_request_that_icalendar_reads(agenda, meeting) -> None:
    from meetings.calendar import meeting_invitation

    body = meeting_invitation(meeting, [agenda.report, agenda.other], "anna@example.org")
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["SUMMARY"]) == meeting.title
    assert "Lägesrapport Södertälje" in str(event["DESCRIPTION"])


def test_the_demo_has_two_past_meetings_with_adjusted_minutes_and_a_coming_one(demo) -> None:
    past = Meeting.objects.filter(title__in=PAST_MEETING_TITLES)
    assert past.count() == 2 and all(m.starts_at < timezone.now() for m in past)
    # Their agendas went out before them, not "not sent".
    assert all(m.agenda_sent_at and m.agenda_sent_at < m.starts_at for m in past)
    minutes = MinutesVersion.objects.filter(item__meeting__in=past)
    assert minutes.exists() and all(version.is_adjusted for version in minutes)
    assert Meeting.objects.get(title=COMING_MEETING_TITLE).starts_at > timezone.now()
