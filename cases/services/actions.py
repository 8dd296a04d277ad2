"""Writes to actions: create, update, progress updates, and the dependency rules."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Membership, Organisation
from notifications.choices import EventKind
from notifications.services import event_record

from .. import access
from ..choices import ActionStatus
from ..history import save_with_history
from ..models import Action, ActionUpdate, Case
from .common import apply_changes, check_version, ensure_case_open, m2m_changes, require

ACTION_EDITABLE_FIELDS = {
    "title",
    "description",
    "lead_organisation",
    "assignee",
    "start_date",
    "due_date",
    "status",
}


def _validate_organisations(
    case: Case, lead: Organisation | None, contributors: list[Organisation]
) -> None:
    working = {
        org_id
        for org_id, role in access.active_participant_ids(case).items()
        if role in access.WORKING_ROLES
    }
    if lead is not None and lead.pk not in working:
        raise ValidationError(
            {"lead_organisation": _("The lead organisation must actively take part in the case.")}
        )
    strangers = [org.name for org in contributors if org.pk not in working]
    if strangers:
        raise ValidationError(
            {
                "contributors": _("Not an active participant of the case: %(names)s.")
                % {"names": ", ".join(strangers)}
            }
        )


def _validate_assignee(action: Action, contributors: list[Organisation]) -> None:
    if action.assignee_id is None:
        return
    organisation_ids = {action.lead_organisation_id, *(org.pk for org in contributors)}
    if not Membership.objects.filter(
        user_id=action.assignee_id, organisation_id__in=organisation_ids
    ).exists():
        raise ValidationError(
            {"assignee": _("The assignee must work for the lead or a contributing organisation.")}
        )


def _validate_dependencies(action: Action, depends_on: list[Action]) -> None:
    """Dependencies stay within the case and never form a cycle."""
    if any(other.case_id != action.case_id for other in depends_on):
        raise ValidationError(
            {"depends_on": _("An action can depend only on actions of its case.")}
        )
    if action.pk is None:
        return  # a new action has nothing depending on it yet, so it cannot close a cycle
    if any(other.pk == action.pk for other in depends_on):
        raise ValidationError({"depends_on": _("An action cannot depend on itself.")})
    edges: dict[int, set[int]] = defaultdict(set)
    through = Action.depends_on.through.objects.filter(from_action__case_id=action.case_id)
    for from_id, to_id in through.values_list("from_action_id", "to_action_id"):
        if from_id != action.pk:
            edges[from_id].add(to_id)
    # Would any new dependency lead back to this action?
    stack, seen = [other.pk for other in depends_on], set()
    while stack:
        current = stack.pop()
        if current == action.pk:
            raise ValidationError(
                {
                    "depends_on": _(
                        "These dependencies would make a cycle: the actions wait for each other."
                    )
                }
            )
        if current not in seen:
            seen.add(current)
            stack.extend(edges[current])


@transaction.atomic
def action_create(
    *,
    actor: AbstractBaseUser,
    case: Case,
    title: str,
    lead_organisation: Organisation,
    description: str = "",
    contributors: list[Organisation] | None = None,
    assignee: AbstractBaseUser | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    status: str = ActionStatus.PLANNED,
    depends_on: list[Action] | None = None,
) -> Action:
    ensure_case_open(case)  # first: in a closed case the refusal says why
    require(access.can_create_action(actor, case), _("You may not add actions to this case."))
    if not access.can_manage_case(actor, case):
        require(
            lead_organisation.pk in access.working_organisation_ids(actor, case),
            _("A partner adds actions that their own organisation leads."),
        )
    contributors, depends_on = list(contributors or []), list(depends_on or [])
    action = Action(
        case=case,
        title=title,
        description=description,
        lead_organisation=lead_organisation,
        assignee=assignee,
        start_date=start_date,
        due_date=due_date,
        status=status,
        created_by=actor,
    )
    action.full_clean()
    _validate_organisations(case, lead_organisation, contributors)
    _validate_assignee(action, contributors)
    _validate_dependencies(action, depends_on)
    if status == ActionStatus.DONE:
        action.completed_at = timezone.now()
    save_with_history(
        action,
        actor=actor,
        created=True,
        m2m={"contributors": contributors, "depends_on": depends_on},
    )
    _event(EventKind.ACTION_CREATED, actor, action, status=status)
    if assignee is not None:
        _event(
            EventKind.ACTION_ASSIGNED,
            actor,
            action,
            assignee=assignee.pk,
            assignee_name=_person(assignee),
        )
    return action


def _person(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def _event(kind: str, actor: AbstractBaseUser, action: Action, **payload: Any) -> None:
    event_record(
        kind=kind,
        actor=actor,
        case=action.case,
        target=action,
        payload={
            "title": action.title,
            "lead_organisation": action.lead_organisation_id,
            # Names as they were, so the notification reads without a query per line.
            "lead_organisation_name": action.lead_organisation.name,
            **payload,
        },
    )


@transaction.atomic
def action_update(
    *,
    actor: AbstractBaseUser,
    action: Action,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Action:
    """Change an action's fields, contributors or dependencies.

    A contributing organisation changes only the progress (access.ACTION_PROGRESS_FIELDS); the
    rest is the plan, the lead organisation's and the case managers' (access.can_edit_action_plan).
    """
    ensure_case_open(action.case)  # first: in a closed case the refusal says why
    require(access.can_change_action(actor, action), _("You may not change this action."))
    action = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_case_open(action.case)
    check_version(action, expected_version)
    data = dict(data)
    if "lead_organisation" in data and data["lead_organisation"] != action.lead_organisation:
        require(
            access.can_manage_case(actor, action.case),
            _("Only the committee and the coordinator hand an action to another organisation."),
        )
    related = m2m_changes(action, data, ["contributors", "depends_on"])
    old_status = action.status
    changes = apply_changes(action, data, ACTION_EDITABLE_FIELDS)
    if not changes and not related:
        return action
    _require_plan_rights(actor, action, {*changes, *related})
    contributors = related.get("contributors", list(action.contributors.all()))
    action.full_clean()
    _validate_organisations(action.case, action.lead_organisation, contributors)
    _validate_assignee(action, contributors)
    if "depends_on" in related:
        _validate_dependencies(action, related["depends_on"])
    action.version += 1
    _track_completion(action, old_status)
    save_with_history(action, actor=actor, m2m=related)
    _events_after_change(actor, action, old_status, changes)
    return action


def _require_plan_rights(actor: AbstractBaseUser, action: Action, changed: set[str]) -> None:
    """Only the fields that would really change count: a PUT repeating the plan is harmless."""
    refused = access.action_fields_refused(actor, action, changed)
    if refused:
        raise PermissionDenied(
            _(
                "Only the lead organisation and the case's coordinator change %(fields)s of this "
                "action; a contributing organisation reports its status and progress."
            )
            % {"fields": ", ".join(refused)}
        )


def _track_completion(action: Action, old_status: str) -> None:
    if action.status == ActionStatus.DONE and old_status != ActionStatus.DONE:
        action.completed_at = timezone.now()
    elif action.status != ActionStatus.DONE:
        action.completed_at = None


def _events_after_change(
    actor: AbstractBaseUser, action: Action, old_status: str, changes: dict[str, Any]
) -> None:
    if "assignee" in changes and action.assignee_id is not None:
        _event(
            EventKind.ACTION_ASSIGNED,
            actor,
            action,
            assignee=action.assignee_id,
            assignee_name=_person(action.assignee),
        )
    if action.status == old_status:
        return
    _event(
        EventKind.ACTION_STATUS_CHANGED, actor, action, **{"from": old_status, "to": action.status}
    )
    if action.status == ActionStatus.BLOCKED:
        _event(EventKind.ACTION_BLOCKED, actor, action)
    if action.status == ActionStatus.DONE:
        # Tell the owners of every action that waited for this one.
        for waiting in action.blocks.select_related("case"):
            _event(
                EventKind.ACTION_UNBLOCKED,
                actor,
                waiting,
                blocking_action=action.pk,
                blocking_title=action.title,
            )


@transaction.atomic
def action_update_post(
    *, actor: AbstractBaseUser, action: Action, text: str, new_status: str = ""
) -> ActionUpdate:
    """A partner's progress report on an action, optionally moving its status."""
    ensure_case_open(action.case)  # first: in a closed case the refusal says why
    require(
        access.can_report_action_progress(actor, action), _("You may not report on this action.")
    )
    action = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_case_open(action.case)
    update = ActionUpdate(
        action=action,
        author=actor,
        text=(text or "").strip(),
        old_status=action.status,
        new_status=new_status or "",
    )
    update.full_clean()
    update.save()
    if new_status and new_status != action.status:
        old_status = action.status
        action.status = new_status
        action.version += 1
        _track_completion(action, old_status)
        save_with_history(action, actor=actor, reason=update.text[:100])
        _events_after_change(actor, action, old_status, {})
    _event(
        EventKind.ACTION_UPDATE_POSTED,
        actor,
        action,
        update=update.pk,
        text=update.text[:500],
        new_status=new_status or None,
    )
    return update
