"""The user's side: reading notifications, email preferences and language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import EmailMode, EventKind
from ..models import Notification, NotificationPreference, NotificationSettings
from ..preferences import PREFERENCE_KEYS, default_mode


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


# The review state in which a value's event still asks something: a review, or a correction.
_STILL_ASKING = {
    EventKind.MEASUREMENT_REPORTED: "submitted",
    EventKind.MEASUREMENT_CORRECTED: "submitted",
    EventKind.MEASUREMENT_RETURNED: "returned",
}


@transaction.atomic
def notification_mark_read_unless_asking(*, user: AbstractBaseUser) -> int:
    """Mark read every unread notification that asks nothing of the user (an invitation to
    answer, an action to do, a value to review or correct stays unread). The demo uses it so
    that a persona starts with what needs them, not with the whole story's history."""
    from cases.selectors import measurement_review_states

    from .fanout import event_asks

    unread = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("event")
        .order_by("-id")[:500]  # a demo's worth; never a whole inbox in memory
    )
    asking = [n for n in unread if event_asks(n.event, [user.pk])]
    # A value reviewed (or corrected) since asks nothing any more.
    states = measurement_review_states(
        [n.event.object_id for n in asking if n.event.object_type == "measurement"]
    )
    still_asking = {
        n.pk
        for n in asking
        if n.event.object_type != "measurement"
        or states.get(n.event.object_id) == _STILL_ASKING.get(n.event.kind)
    }
    settled = [n.pk for n in unread if n.pk not in still_asking]
    return notification_mark_read(user=user, notification_ids=settled)


@transaction.atomic
def preferences_set(*, user: AbstractBaseUser, email_modes: dict[str, str]) -> None:
    """Set the email mode for some preference keys; unknown keys or modes are refused.

    A choice equal to the default is stored as no row, so the user follows the default (and
    any better default later); a different one is a row, kept whatever the default becomes.
    """
    errors = {
        key: _("Unknown kind or mode.")
        for key, mode in email_modes.items()
        if key not in PREFERENCE_KEYS or mode not in EmailMode.values
    }
    if errors:
        raise ValidationError(errors)
    defaults = [key for key, mode in email_modes.items() if mode == default_mode(key)]
    NotificationPreference.objects.filter(user=user, kind__in=defaults).delete()
    for key, mode in email_modes.items():
        if key not in defaults:
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, defaults={"email": mode}
            )


@transaction.atomic
def notification_language_set(*, user: AbstractBaseUser, language: str) -> None:
    """The language of the user's emails (Swedish or English)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Swedish (sv) or English (en).")})
    NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
