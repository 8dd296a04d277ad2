"""Reads about organisations that depend on who asks."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet

from .choices import MembershipRole
from .models import ApiToken, Membership, Organisation
from .search import organisation_matching


def user_organisation_ids(user: AbstractBaseUser | AnonymousUser) -> set[int]:
    """Ids of the organisations the user belongs to, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._organisation_ids = cached  # type: ignore[union-attr]
    return cached


def user_admin_organisation_ids(user: AbstractBaseUser | AnonymousUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_admin_organisation_ids", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(user=user, role=MembershipRole.ADMIN).values_list(
                "organisation_id", flat=True
            )
        )
        user._admin_organisation_ids = cached  # type: ignore[union-attr]
    return cached


def organisation_list(*, kind: str | None = None, search: str | None = None) -> QuerySet:
    queryset = Organisation.objects.active()
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        # Any name or code, accents and case aside: "lund", "Stockholms kommun", "0180".
        queryset = organisation_matching(queryset, search)
    return queryset


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__username")


def user_is_organisation_admin(
    user: AbstractBaseUser | AnonymousUser, organisation_id: int
) -> bool:
    return organisation_id in user_admin_organisation_ids(user)


def api_tokens_for_user(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """The user's own personal API tokens, live ones first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-id"
    )
