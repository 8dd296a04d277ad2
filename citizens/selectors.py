"""Reads of citizens' experiences, by who asks: the public reads what is published on public
cases; the case's managers (its coordinator and the committee) read the queue, with the contact
e-mail. Anything else does not exist for the asker (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from cases import access
from cases.choices import CaseStatus, Visibility
from cases.models import Case

from .choices import ExperienceStatus
from .models import Experience

# What the public may read of an experience: never the contact, nor who moderated it.
PUBLIC_FIELDS = ("pk", "case_id", "kind", "text", "status", "submitted_at")


def is_open_to_public(case: Case) -> bool:
    """A public case that has started (not a draft) shows and collects experiences."""
    return case.visibility == Visibility.PUBLIC and case.status != CaseStatus.DRAFT


def accepts_experiences(case: Case) -> bool:
    """New experiences are taken while the case is open to the public and not closed."""
    return is_open_to_public(case) and access.is_case_open(case)


def can_moderate(user: Any, case: Case) -> bool:
    """The case's coordinator and the committee, whatever the case's status."""
    return access.is_case_manager(user, case)


def public_case_get(*, reference: str) -> Case:
    case = Case.objects.filter(reference=reference).first()
    if case is None or not is_open_to_public(case):
        raise Http404("No such case")
    return case


def published_of_case(case: Case) -> QuerySet[Experience]:
    """Published experiences, newest first; the contact e-mail is not even read."""
    return (
        Experience.objects.filter(case=case, status=ExperienceStatus.PUBLISHED)
        .only(*PUBLIC_FIELDS)
        .order_by("-submitted_at", "-id")
    )


def moderation_case_get(user: Any, *, reference: str) -> Case:
    case = Case.objects.select_related("coordinator").filter(reference=reference).first()
    if case is None or not can_moderate(user, case):
        raise Http404("No such case")
    return case


def pending_of_case(case: Case) -> QuerySet[Experience]:
    """The case's queue, oldest first: the longest waiting is moderated first."""
    return Experience.objects.filter(case=case, status=ExperienceStatus.PENDING).order_by(
        "submitted_at", "id"
    )


def moderated_of_case(case: Case) -> QuerySet[Experience]:
    """What the managers already decided on, newest first (to reply to, or to look back on)."""
    return (
        Experience.objects.filter(
            case=case, status__in=(ExperienceStatus.PUBLISHED, ExperienceStatus.REJECTED)
        )
        .select_related("moderated_by")
        .order_by("-submitted_at", "-id")
    )


def experiences_for_moderator(user: Any) -> QuerySet[Experience]:
    """Every experience the user moderates: all for the committee, else those of the cases
    they coordinate; none for anyone else."""
    if access.is_committee(user):
        rows = Experience.objects.all()
    elif user.is_authenticated:
        rows = Experience.objects.filter(case__coordinator=user)
    else:
        rows = Experience.objects.none()
    return rows.select_related("case", "moderated_by")


def queue_for_user(user: Any) -> QuerySet[Experience]:
    """Waiting experiences the user moderates, oldest first."""
    return (
        experiences_for_moderator(user)
        .filter(status=ExperienceStatus.PENDING)
        .order_by("submitted_at", "id")
    )


def experience_get_for_moderator(user: Any, *, pk: int) -> Experience:
    try:
        return experiences_for_moderator(user).get(pk=pk)
    except Experience.DoesNotExist:
        raise Http404 from None


def _count(status: str) -> Coalesce:
    rows = (
        Experience.objects.filter(case=OuterRef("pk"), status=status)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _newest_published(field: str) -> Subquery:
    rows = Experience.objects.filter(case=OuterRef("pk"), status=ExperienceStatus.PUBLISHED)
    return Subquery(rows.order_by("-submitted_at", "-id").values(field)[:1])


def case_summary(case: Case) -> dict[str, Any]:
    """For the case page, in one query: how many are published and waiting, and the newest
    published experience's kind and text."""
    row = (
        Case.objects.filter(pk=case.pk)
        .values("pk")
        .annotate(
            published=_count(ExperienceStatus.PUBLISHED),
            pending=_count(ExperienceStatus.PENDING),
            newest_kind=_newest_published("kind"),
            newest_text=_newest_published("text"),
        )
        .first()
    )
    return row or {"published": 0, "pending": 0, "newest_kind": None, "newest_text": None}
