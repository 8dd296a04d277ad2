"""An email batch costs its SMTP conversations, a fixed handful of queries (the claim, the read
of recipients, events and cases, the access re-check are each one statement for the whole
batch) and one UPDATE per email, marking it sent the moment the server took it (so a worker
lost mid-batch leaves at most one email to be sent twice)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services as case_services
from notifications import services
from notifications.choices import Channel, DeliveryState
from notifications.models import Delivery, Event

pytestmark = pytest.mark.usefixtures("emails_at_once")

BATCH_QUERIES = 7  # heads, languages, claim (savepoint, locking read, update, release), read
PER_EMAIL_QUERIES = 1  # its mark-sent, right after the send


@pytest.fixture
def pending_emails(demo, settings) -> list[int]:
    """Eighty separate emails waiting to be sent (no burst window: each is its own email)."""
    settings.NOTIFICATIONS_EMAIL_BURST_WINDOW = 0
    ids: list[int] = []
    for n in range(20):  # four recipients each; the hand-off after commit never runs here
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text=f"Rapport {n}"
        )
        ids += services.event_fan_out(event_id=Event.objects.latest("id").pk)
    return ids


def _send(ids: list[int]) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        results = services.email_deliveries_send(delivery_ids=ids)
    return len(queries), results


def test_a_batch_of_fifty_emails_costs_one_query_more_per_email(pending_emails, mailoutbox) -> None:
    one, one_results = _send(pending_emails[:1])
    fifty, fifty_results = _send(pending_emails[1:51])

    assert len(mailoutbox) == 51  # every email went, each on its own
    assert set(one_results.values()) == set(fifty_results.values()) == {services.SendResult.SENT}
    assert one == BATCH_QUERIES + PER_EMAIL_QUERIES
    assert fifty == BATCH_QUERIES + 50 * PER_EMAIL_QUERIES
    sent = Delivery.objects.filter(pk__in=pending_emails[:51], state=DeliveryState.SENT)
    assert sent.count() == 51


def test_a_batch_keeps_one_message_id_per_email(pending_emails, mailoutbox) -> None:
    services.email_deliveries_send(delivery_ids=pending_emails[:10])
    ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert len(ids) == len(set(ids)) == 10
    assert (
        Delivery.objects.filter(
            pk__in=pending_emails[10:], channel=Channel.EMAIL, state=DeliveryState.PENDING
        ).count()
        == len(pending_emails) - 10
    )
