"""Log records that say which request (and which task) they belong to, as JSON in production.

`LOG_FORMAT=json` (python-json-logger) writes one JSON object a line, for a log collector;
`text` (the default) keeps the plain lines a developer reads. Both carry the request id of
config.request_id: web processes through LOGGING (config/settings/base.py), Celery workers
through the hooks below, since a worker replaces the root logger's handlers with its own.

Tasks: the request id current when a task is published travels in a message header
(`samverkan_request_id`); the worker binds it while the task runs, so the fan-out, email and
webhook tasks of one change log under the id of the request that made it. Each task ends with one
INFO line (name, outcome, duration) under that id.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import signals
from celery._state import get_current_task
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from . import request_id

HEADER = "samverkan_request_id"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"
task_logger = logging.getLogger("samverkan.tasks")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request or task) and, inside a task, its name and id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.current()
        task = get_current_task()
        if task is not None and task.request.id and not hasattr(record, "task_name"):
            record.task_name = task.name
            record.task_id = task.request.id
        return True


class TextFormatter(logging.Formatter):
    """Plain lines for development; those of a request or task start with its id."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "request_id", None)
        return f"[{rid}] {line}" if rid else line


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id, and
    the record's extras (task name and id, duration, status, ...)."""
    return JsonFormatter(
        JSON_FIELDS,
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        json_ensure_ascii=False,
    )


def json_enabled() -> bool:
    return getattr(settings, "LOG_FORMAT", "text") == "json"


# Celery: the worker's own handlers get the filter (and the JSON formatter).


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _worker_handlers(logger: logging.Logger, **kwargs: Any) -> None:
    for handler in logger.handlers:
        handler.addFilter(RequestIdFilter())
        if json_enabled():
            handler.setFormatter(json_formatter())


@signals.before_task_publish.connect
def _publish_with_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    current = request_id.current()
    if headers is not None and current and HEADER not in headers:
        headers[HEADER] = current


def _header(task: Any) -> str | None:
    value = getattr(task.request, HEADER, None)
    if value is None:  # older message protocols nest custom headers
        value = (getattr(task.request, "headers", None) or {}).get(HEADER)
    return request_id.clean(value)


_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_started(task_id: str, task: Any, **kwargs: Any) -> None:
    if task.request.is_eager:
        return  # in-process: the caller's request id is current already
    request_id.bind(_header(task))
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _task_finished(task_id: str, task: Any, state: str | None = None, **kwargs: Any) -> None:
    if task.request.is_eager:
        return
    started = _started.pop(task_id, None)
    took = (time.monotonic() - started) * 1000 if started is not None else 0.0
    task_logger.info(
        "Task %s %s in %.0f ms",
        task.name,
        (state or "done").lower(),
        took,
        extra={"task_name": task.name, "task_id": task_id, "duration_ms": round(took, 1)},
    )
    request_id.unbind()
