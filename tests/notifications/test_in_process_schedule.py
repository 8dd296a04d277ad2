"""The beat schedule under `make run` (no Redis, tasks in-process): config/scheduler.py.

The clock is injected: the tests move it instead of sleeping. Emails go to a real SMTP server.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, time, timedelta
from email.header import decode_header, make_header

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from cases import services as case_services
from config.scheduler import InProcessScheduler, next_cron_time
from notifications import services
from notifications.choices import EmailMode, EventKind
from tests.helpers import run_scheduled_sends


class Clock:
    """A clock the test moves forward by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance_to(self, hour: int, minute: int) -> None:
        self.now = datetime.combine(self.now.date(), time(hour, minute), UTC)


@pytest.fixture
def early_morning() -> Clock:
    """Today, 05:00 UTC: before the daily digests (05:30) and the overdue reminders (06:00)."""
    return Clock(datetime.combine(timezone.now().date(), time(5, 0), UTC))


@pytest.fixture
def run_command_settings(settings, smtp_server, tmp_path):
    """As under `make run`: no Redis, tasks in-process, the schedule in this process; the
    emails go to a real SMTP server instead of the local mailbox, so the test reads them."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SCHEDULE_IN_PROCESS = True
    settings.SCHEDULE_STATE_FILE = str(tmp_path / "schedule.json")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    return settings


def _subjects_to(smtp_server, user) -> list[str]:
    return [
        str(make_header(decode_header(m["Subject"])))
        for m in smtp_server.messages
        if user.email in str(m["To"])
    ]


def test_reminder_and_digest_go_out_when_the_clock_reaches_their_time(
    demo, run_command_settings, smtp_server, early_morning, django_capture_on_commit_callbacks
) -> None:
    # sara is emailed at once about her overdue action; carl gets progress in his digest.
    services.preferences_set(
        user=demo.sara, email_modes={EventKind.ACTION_OVERDUE: EmailMode.IMMEDIATELY}
    )
    services.preferences_set(
        user=demo.carl, email_modes={EventKind.ACTION_UPDATE_POSTED: EmailMode.DIGEST}
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text="Lägesbild klar för genomgång"
        )
    run_scheduled_sends()  # the change's immediate emails; carl's item waits for his digest
    smtp_server.messages.clear()
    # The schedule a laptop runs (no Redis): the beat schedule and the send jobs.
    laptop = {**django_settings.CELERY_BEAT_SCHEDULE, **django_settings.IN_PROCESS_SEND_SCHEDULE}
    scheduler = InProcessScheduler(laptop, clock=early_morning)

    with django_capture_on_commit_callbacks(execute=True):
        assert "daily-digests" not in scheduler.tick()
    assert smtp_server.messages == []

    early_morning.advance_to(5, 31)
    with django_capture_on_commit_callbacks(execute=True):
        ran = scheduler.tick()
    assert "daily-digests" in ran and "overdue-reminders" not in ran
    (digest,) = [m for m in smtp_server.messages if demo.carl.email in str(m["To"])]
    assert "Lägesbild klar för genomgång" in digest.get_payload(0).get_payload(decode=True).decode()
    reference = demo.actions.fieldwork.case.reference
    # sara's own digest (the demo's history waits in it) may go out now; no reminder yet.
    assert not [s for s in _subjects_to(smtp_server, demo.sara) if reference in s]

    early_morning.advance_to(6, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue-reminders" in scheduler.tick()
    # Here the reminder's fan-out runs when the block above ends (the test's transaction), after
    # that tick's send job; the next one, seconds later, sends it.
    early_morning.advance_to(6, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert "emails-due" in scheduler.tick()
    reminders = [s for s in _subjects_to(smtp_server, demo.sara) if reference in s]
    assert len(reminders) == 1

    # The same morning again (a restart, or another tick): nothing is sent twice.
    sent = len(smtp_server.messages)
    early_morning.advance_to(6, 30)
    with django_capture_on_commit_callbacks(execute=True):
        InProcessScheduler(laptop, clock=early_morning).tick()
        scheduler.tick()
    assert len(smtp_server.messages) == sent


def test_schedule_is_the_beat_schedule_of_the_settings(run_command_settings, early_morning):
    scheduler = InProcessScheduler(clock=early_morning)
    assert [job.name for job in scheduler.jobs] == list(django_settings.CELERY_BEAT_SCHEDULE)
    assert [job.task for job in scheduler.jobs] == [
        entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    ]


def test_a_failing_job_is_logged_and_the_others_still_run(
    db, run_command_settings, early_morning, caplog
) -> None:
    schedule = {
        "broken": {"task": "notifications.tasks.no_such_task", "schedule": 60.0},
        "sweep": {"task": "notifications.tasks.outbox_sweep", "schedule": 60.0},
    }
    scheduler = InProcessScheduler(schedule, clock=early_morning)
    early_morning.advance_to(5, 2)
    with caplog.at_level(logging.ERROR, logger="config.scheduler"):
        assert scheduler.tick() == ["broken", "sweep"]
    assert "Scheduled job broken" in caplog.text
    assert scheduler.jobs[1].last_run == early_morning.now
    # Both wait for their next time; the failure did not stop the schedule.
    assert all(job.next_run == early_morning.now + timedelta(seconds=60) for job in scheduler.jobs)


def test_a_daily_job_missed_while_the_server_was_down_runs_once_at_start(
    run_command_settings, early_morning
) -> None:
    schedule = {"digests": django_settings.CELERY_BEAT_SCHEDULE["daily-digests"]}
    early_morning.advance_to(5, 31)
    first = InProcessScheduler(schedule, clock=early_morning)
    assert first.jobs[0].next_run > early_morning.now  # first start: waits for tomorrow
    first.jobs[0].last_run = early_morning.now - timedelta(days=1)  # ran yesterday
    first._write_state()

    restarted = InProcessScheduler(schedule, clock=early_morning)
    assert restarted.jobs[0].next_run == early_morning.now  # today's 05:30 was missed
    restarted.jobs[0].last_run = early_morning.now
    restarted._write_state()
    again = InProcessScheduler(schedule, clock=early_morning)
    assert again.jobs[0].next_run == datetime.combine(
        early_morning.now.date() + timedelta(days=1), time(5, 30), UTC
    )


def test_only_one_process_runs_the_schedule(run_command_settings, tmp_path) -> None:
    state = tmp_path / "shared.json"
    first = InProcessScheduler({}, state_file=state)
    second = InProcessScheduler({}, state_file=state)
    assert first.acquire()
    # flock locks belong to the open file, so a second open file in this process stands in
    # for a second process.
    assert not second.acquire()


def test_the_thread_stops_when_asked_and_no_schedule_runs_in_tests_unless_started(
    run_command_settings, early_morning
) -> None:
    assert not [t for t in threading.enumerate() if t.name == "samverkan-schedule"]
    scheduler = InProcessScheduler({}, clock=early_morning)
    thread = scheduler.start()
    assert thread is not None and thread.is_alive()
    scheduler.stop()
    thread.join(5)
    assert not thread.is_alive()


def test_next_cron_time_is_the_next_named_minute() -> None:
    digests = django_settings.CELERY_BEAT_SCHEDULE["daily-digests"]["schedule"]
    before = datetime(2026, 12, 1, 5, 29, 59, tzinfo=UTC)
    assert next_cron_time(digests, before) == datetime(2026, 12, 1, 5, 30, tzinfo=UTC)
    assert next_cron_time(digests, before.replace(minute=30)) == datetime(
        2026, 12, 2, 5, 30, tzinfo=UTC
    )
