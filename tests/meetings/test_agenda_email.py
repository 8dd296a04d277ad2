"""Sending the agenda: one email per member expected, with the agenda and an .ics invitation."""

from __future__ import annotations

from icalendar import Calendar

from agencies.models import Organisation
from meetings import services
from notifications.choices import EventKind
from notifications.models import Notification
from tests.helpers import run_scheduled_sends


def test_each_member_gets_the_agenda_with_an_invitation_their_calendar_reads(
    agenda, meeting, demo, bertil, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=demo.anna, meeting=meeting)
    run_scheduled_sends()
    (email,) = [m for m in mailoutbox if meeting.title in m.subject]
    assert email.to == [bertil.email]  # the sender (anna) is not sent her own agenda
    assert "1. " + demo.youth.reference in email.body and "2. Övriga frågor" in email.body
    (name, content, mimetype) = email.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == meeting.uid
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["ATTENDEE"]) == f"mailto:{bertil.email}"


def test_the_agenda_reaches_the_members_inbox_and_points_at_the_meeting(
    agenda, meeting, demo, bertil, django_capture_on_commit_callbacks, client
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=demo.anna, meeting=meeting)
    notification = Notification.objects.get(
        recipient=bertil, event__kind=EventKind.MEETING_AGENDA_SENT
    )
    assert notification.event.object_id == meeting.pk
    client.force_login(bertil)
    page = client.get("/notifications/")
    assert f"/meetings/{meeting.pk}/" in page.content.decode()


def test_adjusted_minutes_tell_the_members(
    agenda, meeting, demo, bertil, django_capture_on_commit_callbacks
) -> None:
    version = services.minutes_write(actor=demo.anna, item=agenda.report, text="Noterat.")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_adjust(actor=bertil, version=version)
    assert Notification.objects.filter(
        recipient=demo.anna, event__kind=EventKind.MEETING_MINUTES_ADJUSTED
    ).exists()


def test_the_agenda_reaches_the_secretariats_webhook_and_no_other_organisations(
    agenda, meeting, demo, django_capture_on_commit_callbacks
) -> None:
    from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint

    secretariat = Organisation.objects.get(name="Samverkanskommitténs kansli")
    ours = WebhookEndpoint.objects.create(
        organisation=secretariat, url="http://127.0.0.1:9/agenda", secret="s" * 32
    )
    theirs = WebhookEndpoint.objects.create(
        organisation=demo.orgs.sodertalje, url="http://127.0.0.1:9/kommun", secret="s" * 32
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=demo.anna, meeting=meeting)
    deliveries = WebhookDelivery.objects.filter(event__kind=EventKind.MEETING_AGENDA_SENT)
    assert set(deliveries.values_list("endpoint_id", flat=True)) == {ours.pk}
    assert theirs.pk not in set(deliveries.values_list("endpoint_id", flat=True))
