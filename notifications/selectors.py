"""Reads of a user's notifications, follows and preferences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
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


def inbox_page(
    user: AbstractBaseUser, *, unread_only: bool = False, offset: int = 0, size: int = 25
) -> list[Notification]:
    """`size` of the user's notifications from `offset`, newest first, each with
    `case_readable`.

    The page's ids are cut first (LIMIT over the recipient + newest-first index, or the unread
    one), and only those rows are joined to their events and checked for access: computed over
    all of a user's notifications, the access check would be planned for tens of thousands of
    rows (hash tables over every participation) even though 25 are shown."""
    newest = Notification.objects.filter(recipient=user)
    if unread_only:
        newest = newest.filter(read_at__isnull=True)
    ids = newest.order_by("-created_at", "-id").values("pk")[offset : offset + size]
    return list(inbox_for_user(user).filter(pk__in=ids).order_by("-created_at", "-id"))


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


def unread_count(user: AbstractBaseUser | AnonymousUser, *, cap: int | None = None) -> int:
    """How many of the user's notifications are unread; with `cap`, counted only up to
    `cap + 1` (every page's header shows "99+": a user with thousands unread would otherwise
    pay for reading all of them on every page)."""
    if not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return (unread[: cap + 1] if cap is not None else unread).count()


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

    Read from the (case, newest first) index, never by sorting the followed cases' history:
    1. the newest event of each followed case it may see (one index entry per case);
    2. the `limit`-th newest of those times is a lower bound: at least `limit` events are that
       recent, so the answer has none older;
    3. per case whose newest event is that recent, its events since then (at most `limit`),
       newest first; the newest `limit` of those are the answer.
    One query; its cost follows the number of followed cases, not the events they hold."""
    from cases.access import visible_cases

    if limit < 1:
        return []
    followed = CaseFollow.objects.filter(user=user).values("case_id")
    cases = visible_cases(user).filter(pk__in=followed).values("pk")
    if connection.vendor != "postgresql":
        # SQLite (the local run) has no LATERAL join: the plain newest-first read over the
        # same index, fine at a local demo's size.
        return list(
            Event.objects.filter(case__in=cases)
            .select_related("case", "actor")
            .order_by("-created_at", "-id")[:limit]
        )
    cases_sql, params = cases.query.sql_with_params()
    table = Event._meta.db_table
    newest = RawSQL(
        f"""WITH latest AS MATERIALIZED (
            SELECT followed.id, newest.created_at FROM ({cases_sql}) AS followed (id)
            CROSS JOIN LATERAL (
                SELECT created_at FROM {table} WHERE case_id = followed.id
                ORDER BY created_at DESC, id DESC LIMIT 1
            ) AS newest
        ), bound AS (
            SELECT coalesce(
                (SELECT created_at FROM latest ORDER BY created_at DESC OFFSET %s LIMIT 1),
                '-infinity'::timestamptz) AS since
        )
        SELECT e.id FROM latest CROSS JOIN bound CROSS JOIN LATERAL (
            SELECT id, created_at FROM {table}
            WHERE case_id = latest.id AND created_at >= bound.since
            ORDER BY created_at DESC, id DESC LIMIT %s
        ) AS e
        WHERE latest.created_at >= bound.since
        ORDER BY e.created_at DESC, e.id DESC LIMIT %s""",
        (*params, limit - 1, limit, limit),
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
