"""Overdue reminders and daily digests, with the clock passed in (`today`, `cutoff`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from cases import services as case_services
from cases.choices import ActionStatus
from notifications import services
from notifications.choices import Channel, DeliveryState, EmailMode, EventKind
from notifications.models import Delivery, Event, Notification


def _overdue_events(action) -> int:
    return Event.objects.filter(kind=EventKind.ACTION_OVERDUE, object_id=action.pk).count()


def test_overdue_action_is_reminded_once_per_day_and_not_after_it_is_done(
    demo, django_capture_on_commit_callbacks
) -> None:
    fieldwork, today = demo.actions.fieldwork, timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_reminders_record(today=today) >= 1
        assert services.overdue_reminders_record(today=today) == 0
    assert _overdue_events(fieldwork) == 1
    assert (
        Notification.objects.filter(
            event__kind=EventKind.ACTION_OVERDUE, event__object_id=fieldwork.pk, recipient=demo.sara
        ).count()
        == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.overdue_reminders_record(today=today + timedelta(days=1))
    assert _overdue_events(fieldwork) == 2

    case_services.action_update(
        actor=demo.sara, action=fieldwork, data={"status": ActionStatus.DONE}
    )
    services.overdue_reminders_record(today=today + timedelta(days=2))
    assert _overdue_events(fieldwork) == 2


def test_action_not_yet_due_gets_no_reminder(demo) -> None:
    services.overdue_reminders_record(today=timezone.localdate())
    assert _overdue_events(demo.actions.picture) == 0


@pytest.fixture
def carl_wants_digests(demo) -> None:
    services.preferences_set(
        user=demo.carl, email_modes={EventKind.ACTION_UPDATE_POSTED: EmailMode.DIGEST}
    )


def _post(demo, capture, text: str) -> None:
    with capture(execute=True):
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text=text)


def _is_digest(message) -> bool:
    """The digest's subject, in whichever language the recipient gets their emails."""
    subjects = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            subjects.add(translation.gettext("Samverkan: your daily digest"))
    return message.subject in subjects


def _digests_to(mailoutbox, user) -> list[str]:
    return [m.body for m in mailoutbox if m.to == [user.email] and _is_digest(m)]


@pytest.mark.usefixtures("carl_wants_digests")
def test_digest_gathers_each_item_exactly_once_and_keeps_later_ones_for_the_next(
    demo, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    _post(demo, django_capture_on_commit_callbacks, "Första rapporten")
    _post(demo, django_capture_on_commit_callbacks, "Andra rapporten")
    first_cutoff = timezone.now()
    _post(demo, django_capture_on_commit_callbacks, "Tredje rapporten")  # after the cutoff

    assert services.digest_send(user_id=demo.carl.pk, cutoff=first_cutoff) == "sent"
    assert services.digest_send(user_id=demo.carl.pk, cutoff=first_cutoff) == "skipped"
    later = timezone.now() + timedelta(days=1)
    assert services.digest_send(user_id=demo.carl.pk, cutoff=later) == "sent"
    assert services.digest_send(user_id=demo.carl.pk, cutoff=later) == "skipped"

    first, second = _digests_to(mailoutbox, demo.carl)
    assert "Första rapporten" in first and "Andra rapporten" in first
    assert "Tredje rapporten" not in first
    assert "Tredje rapporten" in second and "Första rapporten" not in second
    # Immediate emails for this kind were not sent to carl: he chose the digest.
    assert not [m for m in mailoutbox if m.to == [demo.carl.email] and not _is_digest(m)]


@pytest.mark.usefixtures("carl_wants_digests")
def test_digest_that_fails_to_send_loses_nothing(
    demo, django_capture_on_commit_callbacks, mailoutbox, settings
) -> None:
    _post(demo, django_capture_on_commit_callbacks, "Rapport när posten strular")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    cutoff = timezone.now() + timedelta(days=1)
    assert services.digest_send(user_id=demo.carl.pk, cutoff=cutoff) == "retry"
    pending = Delivery.objects.get(
        channel=Channel.DIGEST, recipient=demo.carl, event__kind=EventKind.ACTION_UPDATE_POSTED
    )
    assert pending.state == DeliveryState.PENDING and pending.attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.digest_send(user_id=demo.carl.pk, cutoff=cutoff) == "sent"
    assert "Rapport när posten strular" in _digests_to(mailoutbox, demo.carl)[0]


@pytest.mark.usefixtures("carl_wants_digests")
def test_daily_digest_task_sends_one_digest_per_user(
    demo, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    from notifications.tasks import digests_send

    _post(demo, django_capture_on_commit_callbacks, "En")
    _post(demo, django_capture_on_commit_callbacks, "Två")
    digests_send()
    digests_send()
    assert len(_digests_to(mailoutbox, demo.carl)) == 1
