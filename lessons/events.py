"""Lessons learned in the notification pipeline: their lines, their links and who hears of them.

Asked and reminded: the case's coordinator (the case's usual recipients; the product asks, so
the coordinator hears it even when they moved the case themselves). Recorded: the committee and
the contact persons of the organisations taking part, besides the coordinator and followers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import ParticipationState
from cases.models import Participation
from notifications.choices import EventKind
from notifications.messages import Kind, actor_name
from notifications.models import Event
from notifications.registry import message_register, path_register, recipients_register


def _requested(event: Event, payload: dict[str, Any]) -> str:
    return _("Lessons learned are asked for on the case “%(title)s”: what worked, what did not") % {
        "title": payload.get("title", "")
    }


def _reminder(event: Event, payload: dict[str, Any]) -> str:
    return _("Reminder: the lessons learned of the case “%(title)s” are not recorded yet") % {
        "title": payload.get("title", "")
    }


def _recorded(event: Event, payload: dict[str, Any]) -> str:
    return _("%(actor)s recorded a lesson learned: “%(way)s” (%(title)s)") % {
        "actor": actor_name(event),
        "way": payload.get("way_of_working", ""),
        "title": payload.get("title", ""),
    }


def _record_path(event: Event) -> str:
    if event.case is None:
        return reverse("lesson_library")
    return reverse("lesson_record", kwargs={"reference": event.case.reference})


def _lesson_path(event: Event) -> str:
    lesson = (event.payload or {}).get("lesson")
    if isinstance(lesson, int):
        return reverse("lesson_detail", kwargs={"pk": lesson})
    return reverse("lesson_library")


def _nobody_more(event: Event) -> set[int]:
    """The coordinator is among the case's usual recipients already."""
    return set()


def _committee_and_contacts(event: Event) -> set[int]:
    committee = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=settings.COMMITTEE_GROUP), is_active=True
    )
    contacts = Participation.objects.filter(
        case_id=event.case_id, state=ParticipationState.ACTIVE, contact_person__isnull=False
    ).values_list("contact_person_id", flat=True)
    return set(committee.values_list("pk", flat=True)) | set(contacts)


def register() -> None:
    message_register(EventKind.LESSONS_REQUESTED, Kind(_requested))
    message_register(EventKind.LESSONS_REMINDER, Kind(_reminder))
    message_register(EventKind.LESSON_RECORDED, Kind(_recorded))
    path_register(EventKind.LESSONS_REQUESTED, _record_path)
    path_register(EventKind.LESSONS_REMINDER, _record_path)
    path_register(EventKind.LESSON_RECORDED, _lesson_path)
    recipients_register(EventKind.LESSONS_REQUESTED, _nobody_more)
    recipients_register(EventKind.LESSONS_REMINDER, _nobody_more)
    recipients_register(EventKind.LESSON_RECORDED, _committee_and_contacts)
