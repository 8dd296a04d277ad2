"""Reviews at the same moment: the outcome's row lock serialises them."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from cases import services
from cases.models import Measurement, Outcome
from notifications.choices import EventKind
from notifications.models import Event


@pytest.mark.usefixtures("postgres")
def test_approving_two_values_at_once_announces_target_reached_once(transactional_demo) -> None:
    demo = transactional_demo
    suspects = Outcome.objects.get(case=demo.youth, direction="decrease")
    today = dt.date.today()
    pending = [
        services.measurement_report(
            actor=demo.petra,
            outcome=suspects,
            organisation=demo.orgs.police,
            value=Decimal(value),
            measured_on=today - dt.timedelta(days=days_ago),
        )
        for value, days_ago in ((39, 2), (38, 1))
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(measurement: Measurement, reviewer) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.measurement_approve(actor=reviewer, measurement=measurement)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(m, reviewer))
        for m, reviewer in zip(pending, (demo.carl, demo.anna), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    reached = Event.objects.filter(kind=EventKind.OUTCOME_TARGET_REACHED, object_id=suspects.pk)
    assert reached.count() == 1
