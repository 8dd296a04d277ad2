"""A person's own data as JSON (GDPR art. 15 and 20), written a chunk of rows at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from agencies.models import ApiToken, Membership
from cases.models import ActionUpdate, CaseStatusChange, Measurement, Participation
from notifications.models import Notification, NotificationPreference

EXPORT_CHUNK = 500


def _profile(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _sections(user: AbstractBaseUser) -> list[tuple[str, QuerySet, Callable[[Any], dict]]]:
    """Each section: its name, the rows (ordered, read in chunks) and how a row reads."""
    return [
        (
            "memberships",
            Membership.objects.filter(user=user).select_related("organisation").order_by("pk"),
            lambda m: {"organisation": m.organisation.name, "role": m.role},
        ),
        (
            "action_updates",
            ActionUpdate.objects.filter(author=user).select_related("action__case").order_by("pk"),
            lambda u: {
                "case": u.action.case.reference,
                "action": u.action.title,
                "text": u.text,
                "new_status": u.new_status,
                "created_at": u.created_at,
            },
        ),
        (
            "measurements_reported",
            Measurement.objects.filter(reported_by=user)
            .select_related("outcome__case")
            .order_by("pk"),
            lambda m: {
                "case": m.outcome.case.reference,
                "outcome": m.outcome.title,
                "value": m.value,
                "measured_on": m.measured_on,
                "note": m.note,
                "review_state": m.review_state,
                "created_at": m.created_at,
            },
        ),
        (
            "review_comments",
            Measurement.objects.filter(reviewed_by=user)
            .exclude(review_comment="")
            .select_related("outcome__case")
            .order_by("pk"),
            lambda m: {
                "case": m.outcome.case.reference,
                "comment": m.review_comment,
                "reviewed_at": m.reviewed_at,
            },
        ),
        (
            "status_change_reasons",
            CaseStatusChange.objects.filter(changed_by=user).select_related("case").order_by("pk"),
            lambda c: {
                "case": c.case.reference,
                "from": c.from_status,
                "to": c.to_status,
                "reason": c.reason,
                "changed_at": c.changed_at,
            },
        ),
        (
            "invitation_answers",
            Participation.objects.filter(responded_by=user)
            .select_related("case", "organisation")
            .order_by("pk"),
            lambda p: {
                "case": p.case.reference,
                "organisation": p.organisation.name,
                "state": p.state,
                "decline_reason": p.decline_reason,
                "responded_at": p.responded_at,
            },
        ),
        (
            "notifications",
            Notification.objects.filter(recipient=user)
            .select_related("event__case")
            .order_by("pk"),
            lambda n: {
                "kind": n.event.kind,
                "case": n.event.case.reference if n.event.case else None,
                "created_at": n.created_at,
                "read_at": n.read_at,
            },
        ),
        (
            "notification_preferences",
            NotificationPreference.objects.filter(user=user).order_by("pk"),
            lambda p: {"kind": p.kind, "email": p.email},
        ),
        (
            "api_tokens",
            ApiToken.objects.filter(user=user).order_by("pk"),
            lambda t: {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            },
        ),
    ]


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def personal_data_json(user: AbstractBaseUser) -> Iterator[str]:
    """The JSON document in pieces: however much a person wrote, memory stays bounded."""
    yield '{"profile": ' + _dumps(_profile(user))
    for name, rows, shape in _sections(user):
        yield f", {_dumps(name)}: ["
        for index, row in enumerate(rows.iterator(chunk_size=EXPORT_CHUNK)):
            yield ("," if index else "") + _dumps(shape(row))
        yield "]"
    yield "}\n"
