"""A decision travels the same channels as every other event: email (by preference) and the
participating organisations' webhooks."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from decisions.services import decision_take
from notifications.choices import EmailMode, EventKind
from notifications.models import Event, NotificationPreference
from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.services import webhook_deliveries_for_event
from notifications.webhooks.signing import secret_generate
from tests.helpers import run_scheduled_sends


def test_a_decision_reaches_the_participants_webhooks_not_outsiders(demo) -> None:
    from notifications.webhooks.models import WebhookEndpoint

    for org in (demo.orgs.sodertalje, demo.orgs.kiruna):
        WebhookEndpoint.objects.create(
            organisation=org, url="http://127.0.0.1:9/unused", secret=secret_generate()
        )
    decision_take(
        actor=demo.anna, case=demo.youth, decided_on=timezone.localdate(), text="Nattvandring."
    )
    event = Event.objects.filter(kind=EventKind.DECISION_TAKEN).latest("pk")
    webhook_deliveries_for_event(event.pk)
    receivers = WebhookDelivery.objects.filter(event=event).values_list(
        "endpoint__organisation_id", flat=True
    )
    assert set(receivers) == {demo.orgs.sodertalje.pk}


def test_who_chose_email_at_once_gets_the_decision_by_email(
    demo, django_capture_on_commit_callbacks
) -> None:
    NotificationPreference.objects.update_or_create(
        user=demo.carl, kind=EventKind.DECISION_TAKEN, defaults={"email": EmailMode.IMMEDIATELY}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_take(
            actor=demo.anna, case=demo.youth, decided_on=timezone.localdate(), text="Nattvandring."
        )
    run_scheduled_sends()
    to_carl = [m for m in mail.outbox if demo.carl.email in m.to]
    assert len(to_carl) == 1
    assert f"Beslut {decision.reference}: Nattvandring." in to_carl[0].body  # carl reads Swedish
    assert f"/decisions/{decision.year}/{decision.number}/" in to_carl[0].body
