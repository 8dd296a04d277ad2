"""Every write of lessons learned: asking the coordinator for them when a case is evaluated or
closed, reminding once, recording and editing a lesson. Each in one transaction, with its
history and its events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from agencies.selectors import user_organisation_ids
from cases import access
from cases.choices import CaseStatus
from cases.models import Case, CaseStatusChange
from cases.services.common import require
from notifications.choices import EventKind
from notifications.services.events import event_record

from . import search
from .models import Lesson, LessonRequest
from .sectors import sector_mix_key

LESSON_STATUSES = (CaseStatus.EVALUATING, CaseStatus.CLOSED)
REMIND_BATCH = 200


def lessons_open(case: Case) -> bool:
    """Lessons are recorded once the work is being evaluated, and after it closed."""
    return case.status in LESSON_STATUSES


def _working_organisation_ids(user: Any, case: Case) -> list[int]:
    """The user's organisations that took part in the case in a working role (also once closed:
    a lesson is recorded after the work ends)."""
    participants = access.active_participant_ids(case)
    mine = user_organisation_ids(user)
    return sorted(
        org_id
        for org_id, role in participants.items()
        if org_id in mine and role in access.WORKING_ROLES
    )


def may_record_lessons_on(user: Any, case: Case) -> bool:
    """The committee, the coordinator and members of the organisations that worked on the case
    (whatever its status: see `can_record_lesson`)."""
    if not user.is_authenticated:
        return False
    return access.is_case_manager(user, case) or bool(_working_organisation_ids(user, case))


def can_record_lesson(user: Any, case: Case) -> bool:
    """`may_record_lessons_on`, once the case is evaluated or closed."""
    return lessons_open(case) and may_record_lessons_on(user, case)


def can_edit_lesson(user: Any, lesson: Lesson) -> bool:
    """Whoever recorded it, and the case's managers."""
    if not user.is_authenticated:
        return False
    return lesson.recorded_by_id == user.pk or access.is_case_manager(user, lesson.case)


def _sector_mix(case: Case) -> str:
    working = [
        org_id
        for org_id, role in access.active_participant_ids(case).items()
        if role in access.WORKING_ROLES
    ]
    kinds = Organisation.objects.filter(pk__in=working).values_list("kind", flat=True)
    return sector_mix_key(kinds)


def _clean_texts(way_of_working: str, what_worked: str, what_did_not: str) -> tuple[str, str, str]:
    way = " ".join((way_of_working or "").split())
    worked, did_not = (what_worked or "").strip(), (what_did_not or "").strip()
    if not way:
        raise ValidationError({"way_of_working": _("Name the way of working.")})
    if not worked and not did_not:
        message = _("Write what worked, what did not, or both.")
        raise ValidationError({"what_worked": message, "what_did_not": message})
    return way, worked, did_not


def _index(lesson: Lesson) -> None:
    """The lesson's full-text vector, in the same transaction (PostgreSQL only)."""
    if search.uses_full_text():
        Lesson.objects.filter(pk=lesson.pk).update(search_vector=search.search_vector())


def _payload(lesson: Lesson, case: Case) -> dict[str, Any]:
    return {
        "title": case.title,
        "reference": case.reference,
        "way_of_working": lesson.way_of_working,
        "lesson": lesson.pk,
    }


@transaction.atomic
def lesson_record(
    *,
    actor: Any,
    case: Case,
    way_of_working: str,
    what_worked: str = "",
    what_did_not: str = "",
) -> Lesson:
    """A lesson on one way of working, tagged with the case's theme and sector mix as they are
    now; it fulfils the request for lessons."""
    require(may_record_lessons_on(actor, case))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not lessons_open(case):
        raise ValidationError(
            {"case": _("Lessons are recorded once the case is evaluated or closed.")}
        )
    way, worked, did_not = _clean_texts(way_of_working, what_worked, what_did_not)
    own = _working_organisation_ids(actor, case)
    lesson = Lesson(
        case=case,
        way_of_working=way,
        what_worked=worked,
        what_did_not=did_not,
        theme_id=case.theme_id,
        sector_mix=_sector_mix(case),
        recorded_by=actor,
        organisation_id=own[0] if own else None,
    )
    lesson.full_clean(exclude=["recorded_by", "theme", "organisation", "case"])
    lesson._history_user = actor  # type: ignore[attr-defined]
    lesson._change_reason = _("Recorded")  # type: ignore[attr-defined]
    lesson.save()
    _index(lesson)
    now = timezone.now()
    LessonRequest.objects.filter(case=case, fulfilled_at__isnull=True).update(fulfilled_at=now)
    event_record(
        kind=EventKind.LESSON_RECORDED,
        actor=actor,
        case=case,
        target=lesson,
        payload=_payload(lesson, case),
    )
    return lesson


@transaction.atomic
def lesson_update(
    *,
    actor: Any,
    lesson: Lesson,
    way_of_working: str,
    what_worked: str = "",
    what_did_not: str = "",
) -> Lesson:
    """Correct a lesson's text; the history keeps what it said before and who changed it."""
    require(can_edit_lesson(actor, lesson))
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    way, worked, did_not = _clean_texts(way_of_working, what_worked, what_did_not)
    lesson.way_of_working, lesson.what_worked, lesson.what_did_not = way, worked, did_not
    lesson.updated_at = timezone.now()
    lesson.full_clean(exclude=["recorded_by", "theme", "organisation", "case"])
    lesson._history_user = actor  # type: ignore[attr-defined]
    lesson._change_reason = _("Edited")  # type: ignore[attr-defined]
    lesson.save()
    _index(lesson)
    return lesson


def lesson_request_open(*, case: Case) -> LessonRequest | None:
    """Ask the coordinator for the case's lessons, once per case (a second evaluation or the
    closing after it asks nothing new). None when the case was already asked."""
    request, created = LessonRequest.objects.get_or_create(case=case)
    if not created:
        return None
    if Lesson.objects.filter(case=case).exists():
        request.fulfilled_at = request.requested_at
        request.save(update_fields=["fulfilled_at"])
        return request
    event_record(
        kind=EventKind.LESSONS_REQUESTED,
        actor=None,  # the product asks; the coordinator hears it even if they moved the case
        case=case,
        target=request,
        payload={"title": case.title, "reference": case.reference},
    )
    return request


def on_case_transition(actor: Any, case: Case, change: CaseStatusChange) -> None:
    """Registered with the case services: runs in the status change's transaction."""
    if change.to_status in LESSON_STATUSES:
        lesson_request_open(case=case)


def _due_ids(before: datetime) -> list[int]:
    return list(
        LessonRequest.objects.filter(
            fulfilled_at__isnull=True, reminded_at__isnull=True, requested_at__lte=before
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)[:REMIND_BATCH]
    )


@transaction.atomic
def _remind(request_id: int, now: datetime) -> bool:
    """Claim the request with a conditional update; zero rows means another run reminded it."""
    claimed = LessonRequest.objects.filter(
        pk=request_id, reminded_at__isnull=True, fulfilled_at__isnull=True
    ).update(reminded_at=now)
    if not claimed:
        return False
    request = LessonRequest.objects.select_related("case").get(pk=request_id)
    event_record(
        kind=EventKind.LESSONS_REMINDER,
        actor=None,
        case=request.case,
        target=request,
        payload={"title": request.case.title, "reference": request.case.reference},
    )
    return True


def lessons_remind_due(*, now: datetime | None = None) -> int:
    """Remind once, LESSONS_REMINDER_DAYS after the request, where no lesson was recorded.
    Returns the number of reminders sent."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.LESSONS_REMINDER_DAYS)
    sent = 0
    while ids := _due_ids(before):
        sent += sum(_remind(request_id, now) for request_id in ids)
    return sent
