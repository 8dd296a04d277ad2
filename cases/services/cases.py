"""Writes to cases: create, update, status transitions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from notifications.choices import EventKind
from notifications.services import event_record

from .. import access
from ..choices import CASE_TRANSITIONS, CaseStatus, Priority, Visibility
from ..history import save_with_history
from ..models import Case, CaseReferenceCounter, CaseStatusChange, Theme
from .common import (
    TransitionNotAllowed,
    apply_changes,
    check_version,
    ensure_case_open,
    m2m_changes,
    require,
    serialise,
)
from .participations import invitations_withdraw_for_closing

CASE_EDITABLE_FIELDS = {
    "title",
    "summary",
    "problem_description",
    "theme",
    "is_national",
    "priority",
    "visibility",
    "coordinator",
    "start_date",
    "target_date",
}
AREA_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.REGION)
# A closed case is reopened to work on (active), or on hold when nobody coordinates it yet.
REOPEN_STATUSES = frozenset({CaseStatus.ACTIVE, CaseStatus.ON_HOLD})


def case_reference_allocate(*, year: int) -> str:
    """Next reference of the year, e.g. SAM-2026-0042.

    The counter row is created once per year and then incremented with an UPDATE, whose row lock
    makes concurrent creators wait for each other until commit: no two cases share a number.
    """
    CaseReferenceCounter.objects.get_or_create(year=year)
    CaseReferenceCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = CaseReferenceCounter.objects.get(year=year).last_number
    return f"{settings.CASE_REFERENCE_PREFIX}-{year}-{number:04d}"


def _validate_scope(is_national: bool, areas: list[Organisation]) -> None:
    if is_national and areas:
        raise ValidationError(
            {"scope_areas": _("A national case has no regions or municipalities listed.")}
        )
    if not is_national and not areas:
        raise ValidationError(
            {
                "scope_areas": _(
                    "Choose the regions or municipalities concerned, or mark it national."
                )
            }
        )
    if any(area.kind not in AREA_KINDS for area in areas):
        raise ValidationError(
            {"scope_areas": _("The geographic scope lists only regions and municipalities.")}
        )


@transaction.atomic
def case_create(
    *,
    actor: AbstractBaseUser,
    title: str,
    summary: str,
    theme: Theme,
    problem_description: str = "",
    is_national: bool = False,
    scope_areas: list[Organisation] | None = None,
    priority: str = Priority.MEDIUM,
    visibility: str = Visibility.RESTRICTED,
    coordinator: AbstractBaseUser | None = None,
    start_date: date | None = None,
    target_date: date | None = None,
) -> Case:
    require(access.can_create_case(actor), _("Only committee members register cases."))
    areas = list(scope_areas or [])
    case = Case(
        title=title,
        summary=summary,
        problem_description=problem_description,
        theme=theme,
        is_national=is_national,
        priority=priority,
        visibility=visibility,
        coordinator=coordinator,
        start_date=start_date,
        target_date=target_date,
        created_by=actor,
        status=CaseStatus.DRAFT,
    )
    case.full_clean(exclude=["reference"])
    _validate_scope(is_national, areas)
    case.reference = case_reference_allocate(year=timezone.localdate().year)
    save_with_history(case, actor=actor, created=True, m2m={"scope_areas": areas})
    event_record(
        kind=EventKind.CASE_CREATED,
        actor=actor,
        case=case,
        target=case,
        payload={"reference": case.reference, "title": case.title},
    )
    if case.coordinator is not None:
        _coordinator_follows(case)
    return case


@transaction.atomic
def case_update(
    *,
    actor: AbstractBaseUser,
    case: Case,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Case:
    """Change the case's fields; `expected_version` guards against lost updates.

    A new coordinator or visibility is a decision (access.can_change_case_field): it needs a
    `reason`, which history and the case.updated event carry.
    """
    ensure_case_open(case)
    require(
        access.can_manage_case(actor, case),
        _("Only the committee and the coordinator edit a case."),
    )
    case = Case.objects.select_for_update().get(pk=case.pk)
    ensure_case_open(case)
    check_version(case, expected_version)
    data = dict(data)
    areas_change = m2m_changes(case, data, ["scope_areas"])
    reason = (reason or "").strip()
    _check_decisions(actor, case, data, reason)
    changes = apply_changes(case, data, CASE_EDITABLE_FIELDS)
    if not changes and not areas_change:
        return case
    decisions = {name: changes[name] for name in access.CASE_DECISION_FIELDS if name in changes}
    case.full_clean()
    areas = areas_change.get("scope_areas", list(case.scope_areas.all()))
    _validate_scope(case.is_national, areas)
    case.version += 1
    save_with_history(case, actor=actor, m2m=areas_change, reason=reason)
    payload: dict[str, Any] = {"changed": sorted([*changes, *areas_change])}
    if decisions:
        payload.update(changes_payload(decisions), reason=reason)
    if "coordinator" in decisions and case.coordinator is not None:
        # The notification names the new coordinator without a query per line.
        name = case.coordinator.get_full_name() or case.coordinator.get_username()
        payload["coordinator_name"] = name
    event_record(kind=EventKind.CASE_UPDATED, actor=actor, case=case, target=case, payload=payload)
    if "coordinator" in changes and case.coordinator is not None:
        _coordinator_follows(case)
    return case


def _check_decisions(
    actor: AbstractBaseUser, case: Case, data: dict[str, Any], reason: str
) -> None:
    """Refuse a new visibility or coordinator the actor may not decide, or one without a reason.

    Asked before the new values are set, so the rules see the case as it is.
    """
    changing = [
        name
        for name in sorted(access.CASE_DECISION_FIELDS)
        if name in data and data[name] != getattr(case, name)
    ]
    if "visibility" in changing:
        require(
            access.can_change_case_field(actor, case, "visibility"),
            _("Only the committee makes a case public or restricted."),
        )
    if "coordinator" in changing and not access.can_appoint_coordinator(
        actor, case, data["coordinator"]
    ):
        raise ValidationError(
            {
                "coordinator": _(
                    "You may hand coordination over only to a committee member or a member of "
                    "an organisation taking part in the case; the committee appoints anyone else."
                )
            }
        )
    if changing and not reason:
        raise ValidationError({"reason": _("Say why the coordinator or the visibility changes.")})


# What other apps do when a case changes status, in the same transaction: ask for lessons when
# it is evaluated, schedule effect follow-ups when it closes. Each app registers its hook in its
# AppConfig.ready(); a hook that raises rolls the change back with it.
TransitionHook = Callable[[AbstractBaseUser, Case, CaseStatusChange], None]
_TRANSITION_HOOKS: list[TransitionHook] = []


def case_transition_hook_register(hook: TransitionHook) -> None:
    if hook not in _TRANSITION_HOOKS:
        _TRANSITION_HOOKS.append(hook)


def _coordinator_follows(case: Case) -> None:
    """Coordinators follow their case; the notifications app keeps the followers."""
    from notifications.services import case_follow_automatic

    case_follow_automatic(case=case, user=case.coordinator)


@transaction.atomic
def case_transition(
    *, actor: AbstractBaseUser, case: Case, to_status: str, reason: str
) -> CaseStatusChange:
    """Move the case along draft -> active <-> on_hold -> evaluating -> closed; a closed case is
    reopened (to active, or on hold) by its managers, with a reason.

    Closing withdraws the case's open invitations in the same transaction (each an event).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    closed = not access.is_case_open(case)
    if closed:
        require(
            access.can_reopen_case(actor, case),
            _("Only the committee and the coordinator reopen a case."),
        )
    else:
        require(
            access.can_manage_case(actor, case),
            _("Only the committee and the coordinator move a case."),
        )
    if to_status not in CaseStatus.values:
        raise ValidationError(
            {"to_status": _("Unknown status “%(status)s”.") % {"status": to_status}}
        )
    allowed = REOPEN_STATUSES if closed else CASE_TRANSITIONS[case.status]
    if to_status not in allowed:
        raise TransitionNotAllowed(
            {
                "to_status": _("A case cannot go from “%(old)s” to “%(new)s”.")
                % {"old": case.get_status_display(), "new": CaseStatus(to_status).label}
            },
            code="transition",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the status changes.")})
    if to_status == CaseStatus.ACTIVE and case.coordinator_id is None:
        raise ValidationError(
            {"to_status": _("Name a coordinator before the case becomes active.")}
        )
    if to_status == CaseStatus.CLOSED:
        invitations_withdraw_for_closing(actor=actor, case=case, reason=reason)
    change = CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=to_status, reason=reason, changed_by=actor
    )
    case.status = to_status
    case.version += 1
    save_with_history(case, actor=actor, reason=reason)
    payload: dict[str, Any] = {"from": change.from_status, "to": to_status, "reason": reason}
    if closed:
        payload["reopened"] = True
    event_record(
        kind=EventKind.CASE_STATUS_CHANGED, actor=actor, case=case, target=case, payload=payload
    )
    for hook in _TRANSITION_HOOKS:
        hook(actor, case, change)
    return change


def changes_payload(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    return {name: [serialise(old), serialise(new)] for name, (old, new) in changes.items()}
