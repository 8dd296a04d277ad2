"""Bursts fold: many events of one kind by one person on one case, close together, read as one
line in the inbox and the digest, and go as one immediate email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Outcome
from notifications import services
from notifications.choices import Ask, Channel, DeliveryState, EmailMode, EventKind
from notifications.folding import fold
from notifications.models import Delivery, Event, Notification

pytestmark = pytest.mark.django_db


def _report(demo, capture, times: int) -> list[Event]:
    outcome = Outcome.objects.filter(case=demo.youth).first()
    away = 1 if outcome.target_value < outcome.baseline_value else -1  # never reach the target
    for day in range(times):
        with capture(execute=True):
            case_services.measurement_report(
                actor=demo.petra, outcome=outcome, organisation=demo.orgs.police,
                value=outcome.baseline_value + away * (1 + day),
                measured_on=outcome.baseline_date + timedelta(days=2 + day),
            )  # fmt: skip
    return list(Event.objects.filter(kind=EventKind.MEASUREMENT_REPORTED).order_by("-id")[:times])


def _event(kind: str, actor, case_id: int, minutes: int) -> Event:
    return Event(
        kind=kind,
        actor=actor,
        case_id=case_id,
        payload={"title": "Lägesbild"},
        created_at=timezone.now() - timedelta(minutes=minutes),
    )


def test_alike_events_far_apart_are_two_lines(demo) -> None:
    events = [_event(EventKind.ACTION_BLOCKED, demo.carl, demo.youth.pk, m) for m in (0, 5, 90)]
    runs = fold(events)
    assert [run.count for run in runs] == [2, 1]


def test_another_person_kind_or_case_breaks_a_run(demo) -> None:
    events = [
        _event(EventKind.ACTION_BLOCKED, demo.carl, demo.youth.pk, 0),
        _event(EventKind.ACTION_BLOCKED, demo.anna, demo.youth.pk, 1),
        _event(EventKind.ACTION_OVERDUE, demo.anna, demo.youth.pk, 2),
        _event(EventKind.ACTION_OVERDUE, demo.anna, demo.care.pk, 3),
    ]
    assert [run.count for run in fold(events)] == [1, 1, 1, 1]


def test_inbox_shows_a_burst_as_one_line_and_marks_it_read_at_once(
    demo, django_capture_on_commit_callbacks, client
) -> None:
    Notification.objects.filter(recipient=demo.carl).update(read_at=timezone.now())
    _report(demo, django_capture_on_commit_callbacks, 12)
    client.force_login(demo.carl)
    html = client.get(reverse("inbox") + "?unread=1").content.decode()
    assert html.count("<strong>Petra Persson reported 12 measurements</strong>") == 1
    assert html.count("Mark as read") == 1
    first = Notification.objects.filter(recipient=demo.carl, read_at__isnull=True).first()
    ids = Notification.objects.filter(recipient=demo.carl, read_at__isnull=True)
    also = [str(pk) for pk in ids.exclude(pk=first.pk).values_list("pk", flat=True)]
    client.post(reverse("notification_read", args=[first.pk]), {"also": also})
    assert not Notification.objects.filter(recipient=demo.carl, read_at__isnull=True).exists()


def test_a_burst_of_asks_goes_as_one_email_and_never_twice(
    demo, django_capture_on_commit_callbacks, mailoutbox, settings
) -> None:
    settings.NOTIFICATIONS_EMAIL_BURST_WINDOW = 120
    _report(demo, django_capture_on_commit_callbacks, 6)
    to_carl = Delivery.objects.filter(recipient=demo.carl, channel=Channel.EMAIL)
    pending = list(to_carl.filter(state=DeliveryState.PENDING).values_list("pk", flat=True))
    assert len(pending) == 6 and mailoutbox == []  # waiting out the burst window
    # Every delivery's own task runs (a broker redelivers, tasks overlap): one email in all.
    for pk in pending:
        services.email_deliveries_send(delivery_ids=[pk])
    services.email_deliveries_send(delivery_ids=pending)
    emails = [m for m in mailoutbox if m.to == [demo.carl.email]]
    assert len(emails) == 1
    assert "rapporterade 6 mätningar" in emails[0].subject
    assert emails[0].extra_headers["Message-ID"].startswith(f"<email-{min(pending)}@")
    assert emails[0].body.count("\n* ") == 6  # each value listed with its link
    assert set(to_carl.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_failed_burst_stays_pending_and_goes_whole_on_the_retry(
    demo, django_capture_on_commit_callbacks, mailoutbox, settings
) -> None:
    settings.NOTIFICATIONS_EMAIL_BURST_WINDOW = 120
    _report(demo, django_capture_on_commit_callbacks, 3)
    pending = list(
        Delivery.objects.filter(
            recipient=demo.carl, channel=Channel.EMAIL, state=DeliveryState.PENDING
        ).values_list("pk", flat=True)
    )
    assert len(pending) == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    results = services.email_deliveries_send(delivery_ids=pending)
    assert set(results.values()) == {services.SendResult.RETRY}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.email_deliveries_send(delivery_ids=pending)
    assert len([m for m in mailoutbox if m.to == [demo.carl.email]]) == 1


def test_what_informs_goes_to_the_digest_folded(
    demo, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    """Carl chose the digest for the values he reviews: they come as one folded line."""
    services.preferences_set(user=demo.carl, email_modes={Ask.REVIEW: EmailMode.DIGEST})
    Delivery.objects.filter(channel=Channel.DIGEST).delete()  # the demo's own
    events = _report(demo, django_capture_on_commit_callbacks, 5)
    to_carl = Delivery.objects.filter(recipient=demo.carl, event__in=events)
    assert set(to_carl.values_list("channel", flat=True)) == {Channel.DIGEST}
    assert services.digest_send(user_id=demo.carl.pk, cutoff=timezone.now()) == "sent"
    (digest,) = [m for m in mailoutbox if m.to == [demo.carl.email]]
    assert digest.body.count("Petra Persson rapporterade 5 mätningar") == 1
    assert digest.body.count("  - Petra Persson rapporterade") == 5  # its items, underneath


def test_dashboard_unread_notifications_name_the_thing_and_the_change(
    demo, django_capture_on_commit_callbacks, client
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_services.participation_invite(
            actor=demo.anna, case=demo.youth, organisation=demo.orgs.malmo, role="contributor"
        )
    client.force_login(demo.carl)
    html = client.get(reverse("dashboard")).content.decode()
    section = html[html.index('id="notifications-heading"') :]
    assert f"{demo.orgs.malmo.name} was invited as contributor" in section
