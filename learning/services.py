"""Every write of the obstacle register: recording an obstacle, escalating its group, recording
the answer. Each in one transaction, with its history and its events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from cases import access
from cases.models import Case
from cases.services.common import ensure_case_open, require
from notifications.choices import EventKind
from notifications.services.events import event_record

from .choices import ObstacleKind
from .models import Obstacle, ObstacleGroup
from .statutes import statute_key


def can_record_obstacle(user: Any, case: Case) -> bool:
    """The case's managers and members of any organisation taking part in it, while it is open."""
    if not user.is_authenticated or not access.is_case_open(case):
        return False
    if access.is_case_manager(user, case):
        return True
    from agencies.selectors import user_organisation_ids

    return bool(user_organisation_ids(user) & set(access.active_participant_ids(case)))


def _checked_organisations(case: Case, organisations: Iterable[Organisation]) -> list[Organisation]:
    chosen = list(organisations)
    if not chosen:
        raise ValidationError({"organisations": _("Name at least one organisation it affects.")})
    participants = set(access.active_participant_ids(case))
    if any(organisation.pk not in participants for organisation in chosen):
        raise ValidationError(
            {"organisations": _("Only organisations taking part in the case can be named.")}
        )
    return chosen


def _group_for(kind: str, statute: str) -> ObstacleGroup:
    """The group of this kind and statute, locked for the counts; created on first use."""
    key = statute_key(statute) if kind == ObstacleKind.LEGAL else ""
    group, _created = ObstacleGroup.objects.select_for_update().get_or_create(
        kind=kind, statute_key=key, defaults={"statute": statute if key else ""}
    )
    return group


def _recount(group: ObstacleGroup) -> None:
    obstacles = Obstacle.objects.filter(group=group)
    group.obstacle_count = obstacles.count()
    group.case_count = obstacles.values("case").distinct().count()
    group.last_recorded_at = timezone.now()
    group.save(update_fields=["obstacle_count", "case_count", "last_recorded_at"])


@transaction.atomic
def obstacle_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    title: str,
    effect: str,
    organisations: Iterable[Organisation],
    statute: str = "",
    proposal: str = "",
) -> Obstacle:
    """A participant records what holds the case back; grouped with the same kind and statute."""
    require(can_record_obstacle(actor, case))
    ensure_case_open(case)
    statute = " ".join((statute or "").split())
    if kind == ObstacleKind.LEGAL and not statute:
        raise ValidationError(
            {"statute": _("Cite the statute and section, e.g. “OSL 25 kap. 1 §”.")}
        )
    chosen = _checked_organisations(case, organisations)
    group = _group_for(kind, statute)
    obstacle = Obstacle(
        case=case,
        group=group,
        kind=kind,
        statute=statute if kind == ObstacleKind.LEGAL else "",
        title=title,
        effect=effect,
        proposal=proposal,
        recorded_by=actor,
    )
    obstacle.full_clean(exclude=["group", "recorded_by"])
    obstacle.save()
    obstacle.organisations.set(chosen)
    _recount(group)
    event_record(
        kind=EventKind.OBSTACLE_RECORDED,
        actor=actor,
        case=case,
        target=obstacle,
        payload={
            "title": obstacle.title,
            "kind": obstacle.kind,
            "statute": obstacle.statute,
            "group": group.pk,
            "organisations": [organisation.pk for organisation in chosen],
        },
    )
    return obstacle


def _group_case_ids(group: ObstacleGroup) -> list[int]:
    return list(
        Obstacle.objects.filter(group=group)
        .order_by("case_id")
        .values_list("case_id", flat=True)
        .distinct()
    )


def _tell_each_case(*, kind: str, actor: Any, group: ObstacleGroup, payload: dict) -> None:
    """One event per case affected, so each case's timeline and coordinator hear of it."""
    for case in Case.objects.filter(pk__in=_group_case_ids(group)):
        event_record(kind=kind, actor=actor, case=case, target=group, payload=payload)


@transaction.atomic
def obstacle_group_escalate(
    *,
    actor: Any,
    group: ObstacleGroup,
    escalated_to: str,
    escalated_on: date,
    decision_reference: str = "",
) -> ObstacleGroup:
    """The committee escalates a group (to a ministry, an agency, the government)."""
    require(access.is_committee(actor))
    group = ObstacleGroup.objects.select_for_update().get(pk=group.pk)
    if not (escalated_to or "").strip():
        raise ValidationError({"escalated_to": _("Say to whom the obstacle is escalated.")})
    if escalated_on > timezone.localdate():
        raise ValidationError({"escalated_on": _("The date cannot be in the future.")})
    group.escalated_to = escalated_to.strip()
    group.escalated_on = escalated_on
    group.decision_reference = (decision_reference or "").strip()
    group.escalated_by = actor
    group.full_clean()
    group._change_reason = _("Escalated")
    group.save()
    payload = {
        "kind": group.kind,
        "statute": group.statute,
        "escalated_to": group.escalated_to,
        "decision_reference": group.decision_reference,
        "case_count": group.case_count,
    }
    _tell_each_case(kind=EventKind.OBSTACLE_ESCALATED, actor=actor, group=group, payload=payload)
    return group


@transaction.atomic
def obstacle_group_respond(
    *, actor: Any, group: ObstacleGroup, response: str, response_on: date
) -> ObstacleGroup:
    """The committee records the answer to an escalated group."""
    require(access.is_committee(actor))
    group = ObstacleGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_escalated:
        raise ValidationError({"response": _("Escalate the obstacle before recording an answer.")})
    if not (response or "").strip():
        raise ValidationError({"response": _("Write the answer that was received.")})
    if response_on > timezone.localdate() or response_on < group.escalated_on:
        raise ValidationError(
            {"response_on": _("The date must lie between the escalation and today.")}
        )
    group.response = response.strip()
    group.response_on = response_on
    group.full_clean()
    group._change_reason = _("Answer recorded")
    group.save()
    payload = {
        "kind": group.kind,
        "statute": group.statute,
        "escalated_to": group.escalated_to,
        "response": group.response[:300],
    }
    _tell_each_case(kind=EventKind.OBSTACLE_ANSWERED, actor=actor, group=group, payload=payload)
    return group
