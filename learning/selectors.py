"""Reads of the obstacle register, by who asks: an obstacle is seen with its case's access rules;
the groups and their counts are the committee's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cases import access
from cases.models import Case

from .models import Obstacle, ObstacleGroup


def obstacles_of_case(case: Case) -> QuerySet[Obstacle]:
    """The case's obstacles, newest first (the caller checked the case's access)."""
    return (
        Obstacle.objects.filter(case=case)
        .select_related("group", "recorded_by")
        .prefetch_related("organisations")
        .order_by("-recorded_at", "-id")
    )


def obstacle_list_for_user(user: Any) -> QuerySet[Obstacle]:
    visible = access.visible_cases(user)
    return (
        Obstacle.objects.filter(case__in=visible.values("pk"))
        .select_related("case", "group")
        .prefetch_related("organisations")
        .order_by("-recorded_at", "-id")
    )


def obstacle_get_for_user(user: Any, *, pk: int) -> Obstacle:
    try:
        return obstacle_list_for_user(user).get(pk=pk)
    except Obstacle.DoesNotExist:
        raise Http404 from None


def obstacle_groups_for_user(user: Any) -> QuerySet[ObstacleGroup]:
    """The register: groups by the number of cases they hold back (the committee's only)."""
    if not access.is_committee(user):
        raise Http404
    return ObstacleGroup.objects.filter(obstacle_count__gt=0).order_by(
        "-case_count", "-last_recorded_at", "-id"
    )


def obstacle_group_get_for_user(user: Any, *, pk: int) -> ObstacleGroup:
    try:
        return obstacle_groups_for_user(user).get(pk=pk)
    except ObstacleGroup.DoesNotExist:
        raise Http404 from None


def obstacles_of_group(group: ObstacleGroup) -> QuerySet[Obstacle]:
    return (
        Obstacle.objects.filter(group=group)
        .select_related("case", "recorded_by")
        .prefetch_related("organisations")
        .order_by("-recorded_at", "-id")
    )
