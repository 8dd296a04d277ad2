"""The daily trust job runs under beat and, without a broker, in the web process's schedule."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from config.scheduler import InProcessScheduler
from trust.models import TrustRound

pytestmark = pytest.mark.django_db


def test_the_in_process_schedule_closes_a_round_past_its_deadline(demo, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SCHEDULE_STATE_FILE = str(tmp_path / "schedule.json")
    assert (
        django_settings.CELERY_BEAT_SCHEDULE["trust-rounds"]["task"] == "trust.tasks.trust_rounds"
    )
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    TrustRound.objects.filter(pk=open_round.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    clock_now = datetime.combine(timezone.now().date(), time(4, 0), UTC)
    scheduler = InProcessScheduler(
        {"trust-rounds": django_settings.CELERY_BEAT_SCHEDULE["trust-rounds"]},
        clock=lambda: clock_now,
    )
    assert scheduler.tick() == []  # not yet its time
    clock_now = scheduler.jobs[0].next_run
    assert scheduler.tick() == ["trust-rounds"]
    open_round.refresh_from_db()
    assert open_round.closed_at is not None
