"""Measurement review events reach partner systems through the existing webhook pipeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cases import services
from cases.models import Outcome
from notifications.choices import EventKind
from notifications.models import Event
from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.services import webhook_deliveries_for_event

URL = "http://127.0.0.1:9/unused"


def test_a_returned_value_reaches_the_reporting_organisations_endpoint(demo, make_endpoint) -> None:
    police = make_endpoint(demo.orgs.police, URL, kinds=[EventKind.MEASUREMENT_RETURNED])
    make_endpoint(demo.orgs.kiruna, URL)  # not in the case: never told
    suspects = Outcome.objects.get(case=demo.youth, direction="decrease")
    measurement = services.measurement_report(
        actor=demo.petra,
        outcome=suspects,
        organisation=demo.orgs.police,
        value=Decimal(43),
        measured_on=dt.date.today(),
    )
    services.measurement_return(actor=demo.carl, measurement=measurement, comment="Kolla urvalet")
    event = Event.objects.get(kind=EventKind.MEASUREMENT_RETURNED, object_id=measurement.pk)
    webhook_deliveries_for_event(event.pk)
    deliveries = WebhookDelivery.objects.filter(event=event)
    assert list(deliveries.values_list("endpoint", flat=True)) == [police.pk]
    assert event.payload["comment"] == "Kolla urvalet"
    assert event.payload["review_state"] == "returned"
