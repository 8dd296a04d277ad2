"""The obstacle register's events in the notification pipeline: their lines and their links."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.choices import EventKind
from notifications.messages import Kind, actor_name
from notifications.models import Event
from notifications.registry import message_register, path_register

from .choices import ObstacleKind


def _kind_label(payload: dict[str, Any]) -> str:
    value = payload.get("kind")
    return str(ObstacleKind(value).label) if value in ObstacleKind.values else ""


def _about(payload: dict[str, Any]) -> str:
    return payload.get("statute") or _kind_label(payload)


def _recorded(event: Event, payload: dict[str, Any]) -> str:
    return _("%(actor)s recorded an obstacle: “%(title)s” (%(about)s)") % {
        "actor": actor_name(event),
        "title": payload.get("title", ""),
        "about": _about(payload),
    }


def _escalated(event: Event, payload: dict[str, Any]) -> str:
    reference = payload.get("decision_reference")
    values = {"about": _about(payload), "to": payload.get("escalated_to", ""), "ref": reference}
    if reference:
        return _("The committee escalated the obstacle %(about)s to %(to)s (%(ref)s)") % values
    return _("The committee escalated the obstacle %(about)s to %(to)s") % values


def _answered(event: Event, payload: dict[str, Any]) -> str:
    return _("%(to)s answered on the obstacle %(about)s: %(response)s") % {
        "to": payload.get("escalated_to", ""),
        "about": _about(payload),
        "response": payload.get("response", ""),
    }


def _case_obstacles_path(event: Event) -> str:
    if event.case is None:
        return reverse("inbox")
    path = reverse("case_obstacles", kwargs={"reference": event.case.reference})
    if event.kind == EventKind.OBSTACLE_RECORDED and event.object_id:
        return f"{path}#obstacle-{event.object_id}"
    return path


def register() -> None:
    message_register(EventKind.OBSTACLE_RECORDED, Kind(_recorded))
    message_register(EventKind.OBSTACLE_ESCALATED, Kind(_escalated))
    message_register(EventKind.OBSTACLE_ANSWERED, Kind(_answered))
    for kind in (
        EventKind.OBSTACLE_RECORDED,
        EventKind.OBSTACLE_ESCALATED,
        EventKind.OBSTACLE_ANSWERED,
    ):
        path_register(kind, _case_obstacles_path)
