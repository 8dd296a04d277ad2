"""The GDPR duties that write: erasing a person, and purging logs past their retention."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from agencies.models import ApiToken
from notifications.choices import DeliveryState
from notifications.models import Delivery, Event, Notification, WebhookAttempt

from .prose import names_in_prose_replace

ERASE_BATCH = 500
FORMER_USER = "Former user"
# Event payloads keep names as they were, so that a notification reads without a query.
PAYLOAD_NAME_KEYS = {"assignee": "assignee_name", "coordinator": "coordinator_name"}


def _label() -> tuple[str, str]:
    """A neutral label ("Former user 1a2b") and a username no one had."""
    tag = secrets.token_hex(2)
    return tag, f"former-{tag}-{secrets.token_hex(4)}"


def _events_naming(user: AbstractBaseUser, old_names: set[str]) -> Iterator[Event]:
    """Events whose payload names the person (read a chunk at a time)."""
    query = models.Q()
    for key, name_key in PAYLOAD_NAME_KEYS.items():
        query |= models.Q(**{f"payload__{key}": user.pk}) | models.Q(
            **{f"payload__{name_key}__in": sorted(old_names)}
        )
    return Event.objects.filter(query).order_by("pk").iterator(chunk_size=ERASE_BATCH)


def _rename_in_payloads(user: AbstractBaseUser, old_names: set[str], label: str) -> int:
    changed: list[Event] = []
    count = 0
    for event in _events_naming(user, old_names):
        for key, name_key in PAYLOAD_NAME_KEYS.items():
            named = event.payload.get(key) == user.pk or event.payload.get(name_key) in old_names
            if name_key in event.payload and named:
                event.payload[name_key] = label
        changed.append(event)
        count += 1
        if len(changed) >= ERASE_BATCH:
            Event.objects.bulk_update(changed, ["payload"])
            changed = []
    Event.objects.bulk_update(changed, ["payload"])
    return count


@dataclass(frozen=True)
class Erased:
    label: str
    username: str


@transaction.atomic
def person_erase(*, user: AbstractBaseUser) -> Erased:
    """Replace a person's name and e-mail address by a neutral label, everywhere it is kept.

    1. The user row: names become "Former user 1a2b", the username a random one, no e-mail,
       no usable password, inactive (sign-in refused), API tokens revoked.
    2. Every history record, timeline entry and notification refers to the user by id, so they
       now read the label; no history record is deleted or added.
    3. Event payloads that kept the person's name (an assignment, a new coordinator) get the
       label instead.
    4. Where someone typed the person's full name or e-mail address into free text (a progress
       report, a reason, a mandate, and the history records and event payloads that copied it),
       it is replaced by the label (privacy/prose.py), in place.
    """
    old_names = {n for n in (user.get_full_name(), user.get_username()) if n}
    typed = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    tag, username = _label()
    # Stored data, not a UI string: the same label in every language.
    user.first_name, user.last_name = FORMER_USER, tag
    user.username, user.email = username, ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _rename_in_payloads(user, old_names, user.get_full_name())
    names_in_prose_replace(**typed, label=user.get_full_name())
    return Erased(label=user.get_full_name(), username=username)


def person_get_by_username(username: str) -> AbstractBaseUser:
    return get_user_model()._default_manager.get(username=username)


# Retention: logs about people are kept for RETENTION_DAYS, then purged a batch at a time.

RETENTION_BATCH = 1000


def _purge(queryset: models.QuerySet, batch: int) -> int:
    """Delete in batches of ids, each its own short statement: no long lock, bounded memory."""
    total = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        queryset.model._default_manager.filter(pk__in=ids).delete()
        total += len(ids)


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)


def retention_purge(*, now: datetime | None = None, batch: int = RETENTION_BATCH) -> dict[str, Any]:
    """Purge read notifications, email delivery logs and webhook attempt logs older than
    RETENTION_DAYS. Unread notifications and emails still to be sent are kept whatever their
    age: they are not logs yet."""
    cutoff = retention_cutoff(now)
    return {
        "notifications": _purge(
            Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff), batch
        ),
        "email_deliveries": _purge(
            Delivery.objects.filter(
                state__in=[DeliveryState.SENT, DeliveryState.FAILED],
                created_at__lt=cutoff,
            ),
            batch,
        ),
        "webhook_attempts": _purge(WebhookAttempt.objects.filter(started_at__lt=cutoff), batch),
    }
