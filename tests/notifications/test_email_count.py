"""How many emails a working day sends with default preferences, counted on a real SMTP server
(a pilot counted "102 emails in ten minutes of use").

The demo is loaded, then a scripted day: an organisation invited, actions assigned, a burst of
24 measurements, a value returned, a status change. With the defaults, email at once goes only
to whom something is asked of, at most one per person per thing (a burst of one kind on one
case is one email); everything else waits for one digest per person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus
from cases.models import Measurement, Outcome
from notifications import services
from notifications.choices import Channel, EventKind
from notifications.models import Delivery, Event, Notification
from notifications.services.fanout import event_asks
from notifications.tasks import digests_send

WINDOW = 120


@pytest.fixture
def real_smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.NOTIFICATIONS_EMAIL_BURST_WINDOW = WINDOW
    return smtp_server


def _working_day(demo, step) -> None:
    """The scripted day, each step committed (its events handed over) on its own."""
    with step():
        case_services.participation_invite(
            actor=demo.anna, case=demo.youth, organisation=demo.orgs.region_skane, role="partner"
        )
    for title, lead, assignee in [
        ("Nattvandring i Ronna", demo.orgs.sodertalje, demo.sara),
        ("Föräldramöten i Hovsjö", demo.orgs.sodertalje, demo.sara),
        ("Trygghetsvandring med polisen", demo.orgs.police, demo.petra),
    ]:
        with step():
            case_services.action_create(
                actor=demo.carl, case=demo.youth, title=title, lead_organisation=lead,
                assignee=assignee, due_date=timezone.localdate() + timedelta(days=30),
            )  # fmt: skip
    outcome = Outcome.objects.filter(case=demo.youth).first()
    away = 1 if outcome.target_value < outcome.baseline_value else -1  # never reach the target
    for day in range(24):
        with step():
            case_services.measurement_report(
                actor=demo.petra, outcome=outcome, organisation=demo.orgs.police,
                value=outcome.baseline_value + away * (1 + day),
                measured_on=outcome.baseline_date + timedelta(days=2 + day),
            )  # fmt: skip
    returned = Measurement.objects.filter(outcome=outcome, reported_by=demo.petra).latest("id")
    with step():
        case_services.measurement_return(
            actor=demo.carl, measurement=returned, comment="Stämmer siffran för juni?"
        )
    with step():
        case_services.case_transition(
            actor=demo.carl, case=demo.youth, to_status=CaseStatus.ON_HOLD,
            reason="Väntar på budgetbeslut",
        )  # fmt: skip


def _subject(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def _deliveries_of(message) -> list[Delivery]:
    ids = [int(pk) for pk in message["X-Samverkan-Delivery"].split(",")]
    return list(Delivery.objects.filter(pk__in=ids).select_related("event__case", "recipient"))


def test_a_working_day_sends_one_email_per_thing_asked_and_one_digest_per_person(
    demo, django_capture_on_commit_callbacks, real_smtp
) -> None:
    # The demo's own emails (its invitations and assignments) belong to the day before.
    services.outbox_sweep(now=timezone.now() + timedelta(seconds=WINDOW + 60))
    real_smtp.messages.clear()
    start = Event.objects.order_by("-id").values_list("id", flat=True).first()
    _working_day(demo, lambda: django_capture_on_commit_callbacks(execute=True))
    day = Event.objects.filter(id__gt=start)
    assert day.filter(kind=EventKind.MEASUREMENT_REPORTED).count() == 24

    # Nothing went yet: each email waits out its burst window; then the sweep sends it.
    assert real_smtp.messages == []
    services.outbox_sweep(now=timezone.now() + timedelta(seconds=WINDOW + 60))
    immediate = list(real_smtp.messages)

    per_person: dict[str, list[str]] = defaultdict(list)
    for message in immediate:
        deliveries = _deliveries_of(message)
        recipient = deliveries[0].recipient
        assert {d.recipient_id for d in deliveries} == {recipient.pk}
        assert message["To"] == recipient.email
        for delivery in deliveries:  # every immediate email is about something asked of them
            assert event_asks(delivery.event, [recipient.pk]), (_subject(message), recipient)
        per_person[recipient.username].append(_subject(message))
    # One per person and thing asked: a burst (two assignments, 24 values) went as one email.
    assert len(per_person["maja"]) == 1 and "Region Skåne" in per_person["maja"][0]
    assert len(per_person["sara"]) == 1 and "tilldelade 2 åtgärder" in per_person["sara"][0]
    assert len(per_person["petra"]) == 2  # her new action, her returned value
    assert len(per_person["carl"]) == 1 and "rapporterade 24 mätningar" in per_person["carl"][0]
    assert not {"olle", "eve", "rita"} & per_person.keys()  # nothing was asked of them

    # Everything else waits for the digest: exactly one per person who has something in it.
    waiting = Delivery.objects.filter(channel=Channel.DIGEST, state="pending")
    expected = set(waiting.values_list("recipient__email", flat=True))
    digests_send()
    digests_send()  # a second run the same day finds nothing left
    digests = [m for m in real_smtp.messages[len(immediate) :]]
    assert Counter(m["To"] for m in digests) == Counter(expected)
    assert not waiting.exists()

    old = Notification.objects.filter(event__in=day).exclude(recipient__email="").count()
    print(
        f"\nEmail count for the working day ({day.count()} events): "
        f"{len(immediate)} immediate, {len(digests)} digests "
        f"(before: {old} immediate emails, one per notification)"
    )
    assert len(immediate) + len(digests) < old / 4
