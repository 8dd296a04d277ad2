"""Writes of the notifications app. `event_record` is called by every service that changes
something meaningful, inside that service's transaction."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import EmailMode, EventKind
from .models import CaseFollow, Event, Notification, NotificationPreference

logger = logging.getLogger(__name__)


def event_record(
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    case: models.Model | None = None,
    target: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Write the event in the caller's transaction; hand it to Celery after commit."""
    event = Event.objects.create(
        kind=kind,
        actor=actor,
        case=case,
        object_type=target._meta.model_name if target is not None else "",
        object_id=target.pk if target is not None else None,
        payload=payload or {},
    )
    transaction.on_commit(lambda: event_hand_off(event.pk))
    return event


def event_hand_off(event_id: int) -> None:
    """Queue the fan-out. A failure here is harmless: the sweeper picks the event up later."""
    from .tasks import event_dispatch

    try:
        event_dispatch.delay(event_id)
    except Exception:
        logger.warning("Could not queue event %s; the sweeper will retry", event_id)


def case_follow_automatic(*, case: models.Model, user: AbstractBaseUser) -> None:
    """Coordinators and contact persons follow their case; an existing follow is kept."""
    CaseFollow.objects.get_or_create(user=user, case=case, defaults={"automatic": True})


@transaction.atomic
def case_follow(*, case: models.Model, user: AbstractBaseUser) -> CaseFollow:
    follow, _created = CaseFollow.objects.get_or_create(user=user, case=case)
    return follow


@transaction.atomic
def case_unfollow(*, case: models.Model, user: AbstractBaseUser) -> None:
    CaseFollow.objects.filter(user=user, case=case).delete()


@transaction.atomic
def notification_mark_read(*, user: AbstractBaseUser, notification_ids: list[int]) -> int:
    """Mark the user's own notifications read; returns how many changed."""
    return Notification.objects.filter(
        recipient=user, pk__in=notification_ids, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def notification_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user: AbstractBaseUser, email_modes: dict[str, str]) -> None:
    """Set the email mode for some event kinds; unknown kinds or modes are refused."""
    errors = {
        kind: _("Unknown kind or mode.")
        for kind, mode in email_modes.items()
        if kind not in EventKind.values or mode not in EmailMode.values
    }
    if errors:
        raise ValidationError(errors)
    for kind, mode in email_modes.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": mode}
        )
