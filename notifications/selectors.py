"""Reads of a user's notifications, follows and preferences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL

from .choices import EventKind
from .models import (
    CaseFollow,
    Event,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from .preferences import PREFERENCE_KEYS, default_mode


def inbox_for_user(user: AbstractBaseUser, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, each with `case_readable`: whether the user may still read the
    event's case. An old notification about a case they have left is kept (nothing is lost) but
    shown without anything from the case; the flag is computed in the same query, per row."""
    queryset = (
        Notification.objects.filter(recipient=user)
        .select_related("event", "event__case", "event__actor")
        .annotate(case_readable=readable_case_flag("recipient_id", "event"))
    )
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


def readable_case_flag(user_field: str, event_field: str) -> ExpressionWrapper:
    """True where the user in `user_field` may still read the case of the event in
    `event_field`: they see the case, or the event is the invitation of their organisation
    that is still open (its answer page shows the case's overview; nothing else of the case)."""
    from cases.access import case_readable, invitation_open, invitation_withdrawn_readable

    case_field = f"{event_field}__case_id"
    invitation = Q(**{f"{event_field}__kind": EventKind.PARTICIPATION_INVITED}) & invitation_open(
        user_field=user_field, case_field=case_field
    )
    withdrawn = Q(**{f"{event_field}__kind": EventKind.INVITATION_WITHDRAWN})
    withdrawn &= invitation_withdrawn_readable(
        user_field=user_field, object_field=f"{event_field}__object_id"
    )
    condition = case_readable(user_field=user_field, case_field=case_field) | invitation | withdrawn
    return ExpressionWrapper(condition, output_field=BooleanField())


def unread_count(user: AbstractBaseUser | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_preferences(user: AbstractBaseUser) -> dict[str, str]:
    """Email mode per preference key (what asks something of me, then each event kind), every
    key present: the user's choice, else the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {key: chosen.get(key, default_mode(key)) for key in PREFERENCE_KEYS}


def is_following(user: AbstractBaseUser | AnonymousUser, case_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return CaseFollow.objects.filter(user=user, case_id=case_id).exists()


def activity_on_followed_cases(user: AbstractBaseUser, *, limit: int = 10) -> list[Event]:
    """The latest events on the cases the user follows (the dashboard's recent activity).

    Per followed case, its newest `limit` events are read from the (case, newest first) index
    (a LATERAL join); the newest `limit` of those are the answer. No case contributes more
    rows than the page shows, so a follower of hundreds of busy cases never sorts their whole
    history."""
    from cases.access import visible_cases

    followed = CaseFollow.objects.filter(user=user).values("case_id")
    cases_sql, params = (
        visible_cases(user).filter(pk__in=followed).values("pk").query.sql_with_params()
    )
    table = Event._meta.db_table
    newest = RawSQL(
        f"""SELECT e.id FROM ({cases_sql}) AS followed (id)
        CROSS JOIN LATERAL (
            SELECT id, created_at FROM {table} WHERE case_id = followed.id
            ORDER BY created_at DESC, id DESC LIMIT %s
        ) AS e ORDER BY e.created_at DESC, e.id DESC LIMIT %s""",
        (*params, limit, limit),
    )
    return list(
        Event.objects.filter(pk__in=newest)
        .select_related("case", "actor")
        .order_by("-created_at", "-id")
    )


def notification_language(user: AbstractBaseUser) -> str:
    """The language of the user's emails: their choice, else Swedish."""
    chosen = NotificationSettings.objects.filter(user=user).values_list("language", flat=True)
    return chosen.first() or "sv"
