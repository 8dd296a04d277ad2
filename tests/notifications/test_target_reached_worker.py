"""'Target reached' through the real pipeline: a Celery worker, Redis, PostgreSQL and
an SMTP server. Announced once for an outcome whose approved values cross the target twice; a
correction below the target announces 'no longer reached'; a returned value reaches its reporter.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Outcome
from notifications.choices import EventKind
from notifications.models import Delivery, Event, Notification

from .conftest import wait_for

# The pipeline's mechanics, not the defaults: everyone chose email at once.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.usefixtures("emails_at_once"),
]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _report_and_approve(demo, outcome: Outcome, value: int, days_ago: int) -> int:
    """Petra reports through the API, Carl approves through the API; returns the value's id."""
    day = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    reported = _client(demo.petra).post(
        f"/api/v1/outcomes/{outcome.pk}/measurements/",
        {"organisation": demo.orgs.police.pk, "value": str(value), "measured_on": day},
        content_type="application/json",
    )
    assert reported.status_code == 201, reported.content
    pk = reported.json()["id"]
    approved = _client(demo.carl).post(f"/api/v1/measurements/{pk}/approve/")
    assert approved.status_code == 200, approved.content
    return pk


def _mail_to(pipeline, user, kind: str) -> list:  # type: ignore[no-untyped-def]
    """The emails the SMTP server received for `user` about events of `kind` (whatever the
    language of the email: the delivery id in the header names the event)."""
    ids = [m["X-Samverkan-Delivery"] for m in pipeline.smtp.messages if m["To"] == user.email]
    return list(Delivery.objects.filter(pk__in=ids, event__kind=kind))


def test_target_reached_is_sent_once_and_a_correction_below_sends_no_longer_reached(
    pipeline,
) -> None:
    demo = pipeline.demo
    suspects = Outcome.objects.get(case=demo.youth, direction="decrease")  # 60 → 40 persons
    pipeline.worker.start()

    _report_and_approve(demo, suspects, 39, days_ago=4)  # reaches the target
    _report_and_approve(demo, suspects, 41, days_ago=3)  # falls back above it
    _report_and_approve(demo, suspects, 38, days_ago=2)  # crosses it a second time
    latest = _report_and_approve(demo, suspects, 37, days_ago=1)
    corrected = _client(demo.carl).patch(
        f"/api/v1/measurements/{latest}/",
        {"value": "45", "reason": "Fel månad i uttaget"},
        content_type="application/json",
    )
    assert corrected.status_code == 200, corrected.content

    reached = Event.objects.filter(kind=EventKind.OUTCOME_TARGET_REACHED, object_id=suspects.pk)
    lost = Event.objects.filter(
        kind=EventKind.OUTCOME_TARGET_NO_LONGER_REACHED, object_id=suspects.pk
    )
    assert (reached.count(), lost.count()) == (1, 2)
    wait_for(
        lambda: (
            len(_mail_to(pipeline, demo.petra, EventKind.OUTCOME_TARGET_NO_LONGER_REACHED)) == 2
        ),
        60,
        "two 'no longer reached' emails to the reporter",
    )
    time.sleep(2)  # a second 'reached' email would arrive now
    assert len(_mail_to(pipeline, demo.petra, EventKind.OUTCOME_TARGET_REACHED)) == 1
    assert Notification.objects.filter(event__in=reached, recipient=demo.petra).count() == 1


def test_the_reporter_hears_through_the_worker_that_a_value_was_returned(pipeline) -> None:
    demo = pipeline.demo
    suspects = Outcome.objects.get(case=demo.youth, direction="decrease")
    pipeline.worker.start()
    reported = _client(demo.petra).post(
        f"/api/v1/outcomes/{suspects.pk}/measurements/",
        {
            "organisation": demo.orgs.police.pk,
            "value": "43",
            "measured_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    pk = reported.json()["id"]
    returned = _client(demo.carl).post(
        f"/api/v1/measurements/{pk}/return/",
        {"comment": "Kontrollera urvalet"},
        content_type="application/json",
    )
    assert returned.status_code == 200, returned.content
    wait_for(
        lambda: _mail_to(pipeline, demo.petra, EventKind.MEASUREMENT_RETURNED),
        60,
        "the 'returned' email to the reporter",
    )
