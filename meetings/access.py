"""Who may see and do what with the committee's meetings (the case rules stay in cases.access).

1. Meetings are the committee's and its secretariat's: the `committee` group and the members
   of the organisation named by SECRETARIAT_ORGANISATION see and prepare them; to anybody
   else a meeting does not exist (404).
2. A case's managers (its coordinator, the committee) propose items about the case.
3. An agenda item about a case is shown only to those who may see the case.
4. Minutes are adjusted by a committee member other than the one who wrote that version.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from agencies.models import Membership
from cases.access import AnyUser, can_manage_case, can_view_case, is_committee
from cases.models import Case

from .models import AgendaItem, MinutesVersion


def is_secretariat(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = Membership.objects.filter(
            user=user, organisation__name=settings.SECRETARIAT_ORGANISATION
        ).exists()
        user._is_secretariat = cached  # type: ignore[union-attr]
    return cached


def can_view_meetings(user: AnyUser) -> bool:
    return is_committee(user) or is_secretariat(user)


def can_prepare_meetings(user: AnyUser) -> bool:
    """Create meetings, order and send agendas, write minutes."""
    return can_view_meetings(user)


def can_propose_item(user: AnyUser, case: Case) -> bool:
    return can_manage_case(user, case)


def can_view_item(user: AnyUser, item: AgendaItem) -> bool:
    return item.case is None or can_view_case(user, item.case)


def can_adjust_minutes(user: AnyUser, version: MinutesVersion) -> bool:
    return is_committee(user) and version.written_by_id != user.pk


def committee_members() -> QuerySet:
    """The committee's members: who is expected at its meetings."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=settings.COMMITTEE_GROUP))
        .distinct()
    )
