"""The Celery beat schedule, run in a thread of the web process when there is no Redis.

`make run` has no broker and no beat: tasks run in-process. Without this module the outbox
sweep, the overdue reminders and the daily digests would never run there. `manage.py serve`
starts one `InProcessScheduler` beside the development server; it reads the same
CELERY_BEAT_SCHEDULE as beat, so the two cannot drift. With Redis, `celery beat` runs it instead.

1. Each job's next run is computed from the clock (injected, so tests move time instead of
   sleeping): an interval after the last run, or the next crontab minute (CELERY_TIMEZONE).
2. When a job's time has come, its Celery task runs here, synchronously; a failure is logged and
   the job simply waits for its next time: one broken task never stops the others.
3. The last run of each job is kept in a small JSON file, so a restart (the autoreloader restarts
   the server on every code change) neither repeats a daily job nor skips one that fell due while
   the server was down: a job whose time passed since its last run runs once at start.
4. An exclusive lock on that file lets only one process per database run the schedule.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from celery.schedules import schedule as interval_schedule
from django.conf import settings
from django.db import connections
from django.utils import timezone

try:  # POSIX only; elsewhere the lock is skipped (the jobs are idempotent anyway)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# How long the loop sleeps at most, so a stop request or a changed clock is noticed soon.
MAX_SLEEP = 30.0
# Jobs that run this often are routine: logged at DEBUG, so the terminal stays readable.
ROUTINE = timedelta(minutes=5)


@dataclass
class Job:
    name: str
    task: str
    every: timedelta | None  # an interval job
    cron: crontab | None  # or a crontab job
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    next_run: datetime
    last_run: datetime | None = None


def _interval(value: Any) -> timedelta | None:
    if isinstance(value, (int, float)):
        return timedelta(seconds=value)
    if isinstance(value, timedelta):
        return value
    if isinstance(value, interval_schedule) and not isinstance(value, crontab):
        return value.run_every
    return None


def next_cron_time(cron: crontab, after: datetime) -> datetime:
    """The first minute strictly after `after` that `cron` names (in CELERY_TIMEZONE)."""
    zone = ZoneInfo(settings.CELERY_TIMEZONE)
    start = after.astimezone(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    hours, minutes = sorted(cron.hour), sorted(cron.minute)
    day: date = start.date()
    for _ in range(5 * 366):  # every crontab names a day within a few years (29 February)
        # crontab counts weekdays from Sunday = 0; isoweekday has Sunday = 7.
        if (
            day.month in cron.month_of_year
            and day.day in cron.day_of_month
            and day.isoweekday() % 7 in cron.day_of_week
        ):
            for hour in hours:
                for minute in minutes:
                    candidate = datetime.combine(day, time(hour, minute), zone)
                    if candidate >= start:
                        return candidate
        day += timedelta(days=1)
    raise ValueError(f"{cron!r} never runs")


def previous_cron_time(cron: crontab, before: datetime) -> datetime | None:
    """The last minute at or before `before` that `cron` names, within the last 8 days."""
    probe = before - timedelta(days=8)
    found = None
    while (candidate := next_cron_time(cron, probe)) <= before:
        found, probe = candidate, candidate
    return found


def _job(name: str, entry: Mapping[str, Any], now: datetime, last_run: datetime | None) -> Job:
    every, value = _interval(entry["schedule"]), entry["schedule"]
    cron = value if isinstance(value, crontab) else None
    if every is None and cron is None:
        raise ValueError(f"schedule of {name!r} is neither an interval nor a crontab")
    job = Job(
        name=name,
        task=entry["task"],
        every=every,
        cron=cron,
        args=tuple(entry.get("args", ())),
        kwargs=dict(entry.get("kwargs", {})),
        next_run=now,
        last_run=last_run,
    )
    job.next_run = _first_run(job, now)
    return job


def _first_run(job: Job, now: datetime) -> datetime:
    if job.every is not None:
        return job.last_run + job.every if job.last_run else now + job.every
    assert job.cron is not None
    missed = previous_cron_time(job.cron, now)
    if job.last_run is not None and missed is not None and missed > job.last_run:
        return now  # fell due while nothing ran the schedule: once now, not once per missed day
    return next_cron_time(job.cron, now)


def _next_run(job: Job, now: datetime) -> datetime:
    if job.every is not None:
        return now + job.every
    assert job.cron is not None
    return next_cron_time(job.cron, now)


def _drop_stale_connections() -> None:
    """As Django does around a request: a broken or too old connection is dropped, so a database
    restart costs one failed run, not every run after it. Never inside a transaction (a caller
    that runs `tick()` in one, such as a test, keeps its connection)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


@functools.cache
def _celery_app() -> Any:
    from config.celery import app

    # Beat and the worker import the apps' task modules at start; nothing else here does.
    app.loader.import_default_modules()
    return app


class InProcessScheduler:
    """Runs the beat schedule's tasks in this process when their time comes (see the module)."""

    def __init__(
        self,
        beat_schedule: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        clock: Clock = timezone.now,
        state_file: str | Path | None = None,
    ) -> None:
        self.clock = clock
        self.state_file = Path(state_file or settings.SCHEDULE_STATE_FILE)
        state = self._read_state()
        now = clock()
        schedule = settings.CELERY_BEAT_SCHEDULE if beat_schedule is None else beat_schedule
        self.jobs = [_job(name, entry, now, state.get(name)) for name, entry in schedule.items()]
        self._stop = threading.Event()
        self._lock_file: IO[str] | None = None

    # The state file: {job name: ISO time of its last run}.
    def _read_state(self) -> dict[str, datetime]:
        try:
            raw = json.loads(self.state_file.read_text())
            return {name: datetime.fromisoformat(value) for name, value in raw.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}

    def _write_state(self) -> None:
        state = {job.name: job.last_run.isoformat() for job in self.jobs if job.last_run}
        try:
            temporary = self.state_file.with_suffix(".tmp")
            temporary.write_text(json.dumps(state, indent=1))
            temporary.replace(self.state_file)
        except OSError:
            logger.warning("Could not save the schedule's state in %s", self.state_file)

    def tick(self) -> list[str]:
        """Run every job whose time has come; the names of those that ran (failed ones too)."""
        ran = []
        for job in self.jobs:
            now = self.clock()
            if job.next_run > now:
                continue
            self._run(job)
            job.last_run, job.next_run = now, _next_run(job, now)
            ran.append(job.name)
        if ran:
            self._write_state()
        return ran

    def _run(self, job: Job) -> None:
        routine = job.every is not None and job.every <= ROUTINE
        try:
            _drop_stale_connections()
            _celery_app().tasks[job.task].apply(args=job.args, kwargs=job.kwargs, throw=True)
        except Exception:  # a failing task is logged; the schedule goes on
            logger.exception("Scheduled job %s (%s) failed", job.name, job.task)
        else:
            logger.log(logging.DEBUG if routine else logging.INFO, "Scheduled job %s ran", job.name)
        finally:
            _drop_stale_connections()

    def seconds_until_next(self) -> float:
        now = self.clock()
        soonest = min((job.next_run for job in self.jobs), default=now + timedelta(hours=1))
        return max(0.0, (soonest - now).total_seconds())

    # Running in a thread.
    def acquire(self) -> bool:
        """Take the state file's lock: False when another process already runs the schedule."""
        if fcntl is None:
            return True
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        handle = self.state_file.with_suffix(".lock").open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle  # held (open) as long as this process lives
        return True

    def run_forever(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.tick()
                except Exception:  # never let the thread die: the next tick tries again
                    logger.exception("The in-process schedule failed; it carries on")
                self._stop.wait(min(max(self.seconds_until_next(), 0.5), MAX_SLEEP))
        finally:
            connections.close_all()

    def start(self) -> threading.Thread | None:
        """Run the schedule in a daemon thread; None if another process already runs it."""
        if not self.acquire():
            logger.warning(
                "Another Samverkan process runs the schedule (%s is locked); this one does not.",
                self.state_file.with_suffix(".lock"),
            )
            return None
        thread = threading.Thread(target=self.run_forever, name="samverkan-schedule", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


def describe_schedule(beat_schedule: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """One line per job, e.g. 'daily-digests: daily at 05:30 UTC', for the start-up banner."""
    schedule = settings.CELERY_BEAT_SCHEDULE if beat_schedule is None else beat_schedule
    lines = []
    for name, entry in schedule.items():
        value = entry["schedule"]
        every = _interval(value)
        if every is not None:
            lines.append(f"{name}: every {every.total_seconds():g} s")
        elif isinstance(value, crontab) and len(value.hour) == 1 and len(value.minute) == 1:
            (hour,), (minute,) = value.hour, value.minute
            lines.append(f"{name}: daily at {hour:02d}:{minute:02d} {settings.CELERY_TIMEZONE}")
        elif isinstance(value, crontab) and len(value.hour) == 24 and len(value.minute) == 1:
            (minute,) = value.minute
            lines.append(f"{name}: hourly at :{minute:02d}")
        else:
            lines.append(f"{name}: {value!r}")
    return lines
