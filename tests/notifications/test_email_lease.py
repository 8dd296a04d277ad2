"""No claimed email is lost: a delivery whose worker died or lost its broker after claiming it
(state "sending") goes back to pending once NOTIFICATIONS_EMAIL_SEND_LEASE has passed, and the
next sweep sends it again, at least once, with the same Message-ID. Counted on a real SMTP server.
"""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services as case_services
from notifications import services
from notifications.choices import Channel, DeliveryState, EmailMode, EventKind
from notifications.models import Delivery
from notifications.services.email import _claim
from notifications.tasks import digests_send

from .conftest import wait_for

pytestmark = pytest.mark.usefixtures("emails_at_once")

LEASE = 300
WINDOW = 120  # emails wait out their burst window, so a fresh one stays pending until a sweep


@pytest.fixture
def real_smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.NOTIFICATIONS_EMAIL_BURST_WINDOW = WINDOW
    settings.NOTIFICATIONS_EMAIL_SEND_LEASE = LEASE
    # The demo's own emails belong to the day before: sent and forgotten here.
    services.outbox_sweep(now=timezone.now() + timedelta(seconds=WINDOW + 60))
    smtp_server.messages.clear()
    return smtp_server


def _carls_pending_email(demo, step) -> Delivery:
    """Petra posts an update; Carl's email waits (pending) for its burst window."""
    with step(execute=True):
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text="x")
    return Delivery.objects.get(
        channel=Channel.EMAIL,
        recipient=demo.carl,
        state=DeliveryState.PENDING,
        event__kind="action.update_posted",
    )


def _claimed_by_a_worker_that_died(delivery: Delivery, seconds_ago: float) -> None:
    """The worker's claim (pending -> sending), then nothing: it was killed or cut off."""
    assert _claim([delivery.pk], Channel.EMAIL, timezone.now() - timedelta(seconds=seconds_ago))


def _messages_about(smtp, delivery: Delivery) -> list:
    return [
        message
        for message in smtp.messages
        if str(delivery.pk) in message["X-Samverkan-Delivery"].split(",")
    ]


def test_an_email_claimed_past_the_lease_is_sent_by_the_next_sweep_exactly_once(
    demo, django_capture_on_commit_callbacks, real_smtp
) -> None:
    delivery = _carls_pending_email(demo, django_capture_on_commit_callbacks)
    _claimed_by_a_worker_that_died(delivery, seconds_ago=LEASE + 1)
    assert real_smtp.messages == []

    services.outbox_sweep()

    sent = _messages_about(real_smtp, delivery)
    assert len(sent) == 1
    assert sent[0]["To"] == demo.carl.email
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2

    services.outbox_sweep()  # a second sweep finds nothing more to send
    services.outbox_sweep(now=timezone.now() + timedelta(seconds=LEASE + WINDOW))
    assert len(_messages_about(real_smtp, delivery)) == 1


def test_the_re_send_carries_the_message_id_of_the_first_attempt(
    demo, django_capture_on_commit_callbacks, real_smtp
) -> None:
    delivery = _carls_pending_email(demo, django_capture_on_commit_callbacks)
    # The first attempt reaches the mail server, then its worker dies before it records "sent":
    # the row is left as the worker left it, claimed long ago.
    services.email_deliveries_send(delivery_ids=[delivery.pk])
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING,
        sent_at=None,
        claimed_at=timezone.now() - timedelta(seconds=LEASE + 1),
    )

    services.outbox_sweep()

    first, again = _messages_about(real_smtp, delivery)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["X-Samverkan-Idempotency-Key"] == again["X-Samverkan-Idempotency-Key"]
    assert first["Subject"] == again["Subject"]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_an_email_claimed_inside_the_lease_is_left_to_its_worker(
    demo, django_capture_on_commit_callbacks, real_smtp
) -> None:
    delivery = _carls_pending_email(demo, django_capture_on_commit_callbacks)
    _claimed_by_a_worker_that_died(delivery, seconds_ago=LEASE - 200)

    # A sweep that does send the emails past their window (the claim is 221 s old).
    services.outbox_sweep(now=timezone.now() + timedelta(seconds=WINDOW + 1))

    assert _messages_about(real_smtp, delivery) == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENDING and delivery.attempts == 1

    # Once the lease has run out, the sweep after it sends the email.
    services.outbox_sweep(now=timezone.now() + timedelta(seconds=210))
    assert len(_messages_about(real_smtp, delivery)) == 1


def test_a_digest_item_claimed_past_the_lease_goes_in_the_next_digest(
    demo, django_capture_on_commit_callbacks, settings, real_smtp
) -> None:
    delivery = _carls_pending_email(demo, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=delivery.pk).update(channel=Channel.DIGEST)  # Carl chose digest
    Delivery.objects.filter(channel=Channel.DIGEST).exclude(pk=delivery.pk).delete()
    assert _claim([delivery.pk], Channel.DIGEST, timezone.now() - timedelta(seconds=LEASE + 1))

    digests_send()
    assert real_smtp.messages == []  # still claimed by the digest that died

    services.outbox_sweep()
    digests_send()
    digests = [m for m in real_smtp.messages if m["To"] == demo.carl.email]
    assert len(digests) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_killed_mid_send_loses_no_email(pipeline, holding_smtp) -> None:
    demo = pipeline.demo
    kind = EventKind.ACTION_UPDATE_POSTED
    for user in (demo.sara, demo.olle, demo.rita):  # only Carl's email: one to follow
        services.preferences_set(user=user, email_modes={kind: EmailMode.OFF})
    env = pipeline.worker.env  # the worker's and beat's
    env["EMAIL_PORT"] = str(holding_smtp.port)
    env["NOTIFICATIONS_EMAIL_SEND_LEASE"] = "3"
    pipeline.worker.start()
    client = Client()
    client.force_login(demo.petra)
    response = client.post(
        f"/api/v1/actions/{demo.actions.picture.pk}/updates/",
        {"text": "Rapport: lägesbilden är klar"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content

    assert holding_smtp.arrived.wait(60), "the worker never reached the mail server"
    pipeline.worker.kill(signal.SIGKILL)  # the server has the email; the worker never heard 250
    holding_smtp.release.set()
    delivery = Delivery.objects.get(
        channel=Channel.EMAIL, recipient=demo.carl, event__payload__text__startswith="Rapport"
    )
    assert delivery.state == DeliveryState.SENDING

    pipeline.worker.start()
    pipeline.beat.start()  # the sweep every second; the lease is 3 s
    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENT).exists(),
        60,
        "the lost email to be sent again",
    )
    wait_for(lambda: len(holding_smtp.messages) >= 2, 10, "the second copy at the server")
    first, again = holding_smtp.messages[:2]
    assert first["To"] == again["To"] == demo.carl.email
    assert first["Message-ID"] == again["Message-ID"]  # the server can drop the duplicate
    pipeline.beat.stop()
    pipeline.worker.stop()
    assert len(holding_smtp.messages) == 2  # later sweeps sent nothing more
