"""The dashboard's memory of the user's previous visit ("new since my last visit")."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import DashboardVisit


@transaction.atomic
def dashboard_visit_record(
    *, user: AbstractBaseUser, now: datetime | None = None
) -> datetime | None:
    """Remember that the user looks at the dashboard now. Returns what this look marks as new
    against (see `DashboardVisit.since`); a first visit marks nothing (None): to a newcomer
    everything would be new. A pause longer than a sitting moves the previous visit on.
    Two queries whether it is the first visit or not (the dashboard's count stays pinned)."""
    now = now or timezone.now()
    visit = DashboardVisit.objects.filter(pk=user.pk).first()
    if visit is None:
        # Two first visits at once (two tabs) must not fail: the second insert is a no-op.
        DashboardVisit.objects.bulk_create(
            [DashboardVisit(user=user, seen_at=now)], ignore_conflicts=True
        )
        return None
    since = visit.since(now)
    fields = {"seen_at": now}
    if now - visit.seen_at > DashboardVisit.SITTING:
        fields["previous_seen_at"] = visit.seen_at
    DashboardVisit.objects.filter(pk=visit.pk).update(**fields)
    return since
