"""Lessons learned: asked of the coordinator when a case is evaluated or closed, reminded once,
recorded by those who worked on the case, tagged with its theme and sector mix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus
from cases.models import Case
from lessons import services
from lessons.models import Lesson, LessonRequest
from notifications.choices import EventKind
from notifications.models import Event, Notification
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _evaluate(demo, case=None) -> Case:
    case = case or demo.youth
    case_services.case_transition(
        actor=demo.anna, case=case, to_status=CaseStatus.EVALUATING, reason="Utvärdera."
    )
    return Case.objects.get(pk=case.pk)


def _record(actor, case, **extra) -> Lesson:
    return services.lesson_record(
        actor=actor,
        case=case,
        way_of_working=extra.pop("way_of_working", "Gemensam ärendekonferens polis–socialtjänst"),
        what_worked=extra.pop("what_worked", "Vi samverkade varje vecka."),
        **extra,
    )


def _requested(case: Case) -> int:
    return Event.objects.filter(kind=EventKind.LESSONS_REQUESTED, case=case).count()


def test_evaluating_a_case_asks_its_coordinator_for_lessons_once(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = _evaluate(demo)
    assert LessonRequest.objects.get(case=case).is_pending
    event = Event.objects.get(kind=EventKind.LESSONS_REQUESTED, case=case)
    assert Notification.objects.filter(event=event, recipient=demo.carl).exists()
    case_services.case_transition(
        actor=demo.anna, case=case, to_status=CaseStatus.CLOSED, reason="Klart."
    )
    assert _requested(case) == 1 and LessonRequest.objects.filter(case=case).count() == 1


def test_the_coordinator_who_moves_the_case_is_asked_too(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(
            actor=demo.carl, case=demo.youth, to_status=CaseStatus.EVALUATING, reason="Klart."
        )
    event = Event.objects.get(kind=EventKind.LESSONS_REQUESTED, case=demo.youth)
    assert Notification.objects.filter(event=event, recipient=demo.carl).exists()


def test_an_active_case_asks_for_nothing_and_takes_no_lesson(demo) -> None:
    assert not LessonRequest.objects.filter(case=demo.youth).exists()
    assert not services.can_record_lesson(demo.carl, demo.youth)
    with nothing_written(), pytest.raises(ValidationError) as error:
        _record(demo.carl, demo.youth)
    assert "case" in error.value.message_dict


def test_recording_fulfils_the_request_and_tells_the_committee(
    demo, django_capture_on_commit_callbacks
) -> None:
    case = _evaluate(demo)
    with django_capture_on_commit_callbacks(execute=True):
        lesson = _record(demo.petra, case)
    assert LessonRequest.objects.get(case=case).fulfilled_at is not None
    event = Event.objects.get(kind=EventKind.LESSON_RECORDED, object_id=lesson.pk)
    recipients = set(Notification.objects.filter(event=event).values_list("recipient", flat=True))
    assert {demo.anna.pk, demo.carl.pk} <= recipients
    assert demo.petra.pk not in recipients and demo.eve.pk not in recipients


def test_a_lesson_keeps_the_cases_theme_and_sector_mix_at_recording(demo) -> None:
    case = _evaluate(demo)
    lesson = _record(demo.petra, case)
    # Fryshuset only observes: it is not among the sectors that worked on the case.
    assert lesson.sector_mix == "municipality+region+state_agency"
    assert lesson.theme_id == case.theme_id
    assert lesson.organisation == demo.orgs.police


def test_a_lesson_says_what_worked_or_what_did_not(demo) -> None:
    case = _evaluate(demo)
    with nothing_written(), pytest.raises(ValidationError) as error:
        _record(demo.carl, case, what_worked="  ", what_did_not="")
    assert {"what_worked", "what_did_not"} <= set(error.value.message_dict)
    with nothing_written(), pytest.raises(ValidationError) as error:
        _record(demo.carl, case, way_of_working=" ")
    assert "way_of_working" in error.value.message_dict


@pytest.mark.parametrize("persona", ["eve", "olle"])
def test_outsiders_and_observers_record_no_lesson(demo, persona) -> None:
    case = _evaluate(demo)
    with nothing_written(), pytest.raises(PermissionDenied):
        _record(getattr(demo, persona), case)


def test_a_closed_case_still_takes_lessons(demo) -> None:
    case = _evaluate(demo)
    case_services.case_transition(
        actor=demo.anna, case=case, to_status=CaseStatus.CLOSED, reason="Klart."
    )
    case = Case.objects.get(pk=case.pk)
    assert _record(demo.sara, case).organisation == demo.orgs.sodertalje


def test_the_reminder_goes_once_after_the_days_unless_a_lesson_came(demo, settings) -> None:
    settings.LESSONS_REMINDER_DAYS = 14
    youth = _evaluate(demo)
    school = _evaluate(demo, demo.school)
    now = timezone.now()
    assert services.lessons_remind_due(now=now + timedelta(days=13)) == 0
    _record(demo.carl, school)
    pending_before = LessonRequest.objects.filter(
        fulfilled_at__isnull=True, reminded_at__isnull=True
    ).count()
    assert services.lessons_remind_due(now=now + timedelta(days=15)) == pending_before
    assert services.lessons_remind_due(now=now + timedelta(days=30)) == 0
    reminders = Event.objects.filter(kind=EventKind.LESSONS_REMINDER)
    assert reminders.filter(case=youth).count() == 1
    assert not reminders.filter(case=school).exists()


def test_an_edit_keeps_what_the_lesson_said_before(demo) -> None:
    case = _evaluate(demo)
    lesson = _record(demo.petra, case)
    services.lesson_update(
        actor=demo.petra,
        lesson=lesson,
        way_of_working=lesson.way_of_working,
        what_worked="Vi samverkade varannan vecka.",
    )
    said = list(lesson.history.order_by("history_date").values_list("what_worked", flat=True))
    assert said == ["Vi samverkade varje vecka.", "Vi samverkade varannan vecka."]
    with pytest.raises(PermissionDenied):
        services.lesson_update(actor=demo.sara, lesson=lesson, way_of_working="x", what_worked="y")


def test_the_daily_job_reminds_the_demos_pending_request_once(demo, settings) -> None:
    from lessons.tasks import lessons_remind_due

    entry = settings.CELERY_BEAT_SCHEDULE["lessons-remind-due"]
    assert entry["task"] == lessons_remind_due.name
    # The lessons demo's evaluated case (the effect follow-ups' closed case waits too).
    pending = LessonRequest.objects.get(
        fulfilled_at__isnull=True, case__title__startswith="Samordnat stöd"
    )
    LessonRequest.objects.filter(pk=pending.pk).update(
        requested_at=timezone.now() - timedelta(days=settings.LESSONS_REMINDER_DAYS + 1)
    )
    assert lessons_remind_due() == 1
    assert lessons_remind_due() == 0
    assert Event.objects.filter(kind=EventKind.LESSONS_REMINDER, case=pending.case).count() == 1
