"""Writes to participations: invitations, answers, mandate and contact, withdrawal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Membership, Organisation
from notifications.choices import EventKind
from notifications.services import case_follow_automatic, event_record

from .. import access
from ..choices import OPEN_ACTION_STATUSES, ParticipationRole, ParticipationState
from ..history import save_with_history
from ..models import Action, Case, Participation
from .common import apply_changes, ensure_case_open, require

PARTICIPATION_EDITABLE_FIELDS = {"role", "mandate", "contact_person"}
CURRENT_STATES = access.CURRENT_PARTICIPATION_STATES


def _validate_contact(participation: Participation) -> None:
    contact = participation.contact_person
    if (
        contact is not None
        and not Membership.objects.filter(
            user=contact, organisation_id=participation.organisation_id
        ).exists()
    ):
        raise ValidationError(
            {"contact_person": _("The contact person must be a member of the organisation.")}
        )


def _validate_single_lead(participation: Participation) -> None:
    if participation.role != ParticipationRole.LEAD:
        return
    other_leads = Participation.objects.filter(
        case_id=participation.case_id, role=ParticipationRole.LEAD, state__in=CURRENT_STATES
    ).exclude(pk=participation.pk)
    if other_leads.exists():
        raise ValidationError({"role": _("The case already has a lead organisation.")})


def _lock(participation: Participation) -> Participation:
    """The participation's row, locked and read afresh: its state decides who may change it, and
    it may have changed since the caller read it. The case is the caller's (not re-read)."""
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    locked.case = participation.case
    return locked


def _ensure_current(participation: Participation) -> None:
    if participation.state not in CURRENT_STATES:
        raise ValidationError({"state": _("The organisation is not part of the case.")})


def _record(kind: str, actor: AbstractBaseUser, participation: Participation, **extra: Any) -> None:
    event_record(
        kind=kind,
        actor=actor,
        case=participation.case,
        target=participation,
        payload={
            "organisation": participation.organisation_id,
            "organisation_name": participation.organisation.name,
            "role": participation.role,
            **extra,
        },
    )


@transaction.atomic
def participation_invite(
    *,
    actor: AbstractBaseUser,
    case: Case,
    organisation: Organisation,
    role: str,
    mandate: str = "",
    contact_person: AbstractBaseUser | None = None,
) -> Participation:
    """Invite an organisation; one that declined or withdrew before can be invited again."""
    require(
        access.can_manage_case(actor, case), _("Only the committee and the coordinator invite.")
    )
    ensure_case_open(case)
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    participation = Participation.objects.filter(case=case, organisation=organisation).first()
    if participation is not None and participation.state in CURRENT_STATES:
        raise ValidationError(
            {"organisation": _("This organisation is already invited to or part of the case.")}
        )
    created = participation is None
    participation = participation or Participation(case=case, organisation=organisation)
    participation.role = role
    participation.mandate = mandate
    participation.contact_person = contact_person
    participation.state = ParticipationState.INVITED
    participation.invited_by = actor
    participation.invited_at = timezone.now()
    participation.responded_by = None
    participation.responded_at = None
    participation.full_clean()
    _validate_single_lead(participation)
    _validate_contact(participation)
    save_with_history(participation, actor=actor, created=created)
    _record(EventKind.PARTICIPATION_INVITED, actor, participation)
    return participation


def _respond(
    actor: AbstractBaseUser,
    participation: Participation,
    state: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Participation:
    require(
        access.can_respond_to_invitation(actor, participation),
        _("Only an admin of the invited organisation answers the invitation."),
    )
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    ensure_case_open(participation.case)
    if participation.state != ParticipationState.INVITED:
        raise ValidationError(
            {"state": _("The invitation has already been answered or withdrawn.")}, code="answered"
        )
    apply_changes(participation, changes or {}, PARTICIPATION_EDITABLE_FIELDS)
    participation.state = state
    participation.responded_by = actor
    participation.responded_at = timezone.now()
    participation.full_clean()
    _validate_contact(participation)
    save_with_history(participation, actor=actor, reason=reason)
    return participation


@transaction.atomic
def participation_accept(
    *,
    actor: AbstractBaseUser,
    participation: Participation,
    contact_person: AbstractBaseUser | None = None,
    mandate: str | None = None,
) -> Participation:
    changes: dict[str, Any] = {}
    if contact_person is not None:
        changes["contact_person"] = contact_person
    if mandate is not None:
        changes["mandate"] = mandate
    participation = _respond(actor, participation, ParticipationState.ACTIVE, changes=changes)
    _record(EventKind.PARTICIPATION_ACCEPTED, actor, participation)
    if participation.contact_person is not None:
        case_follow_automatic(case=participation.case, user=participation.contact_person)
    return participation


@transaction.atomic
def participation_decline(
    *, actor: AbstractBaseUser, participation: Participation, reason: str = ""
) -> Participation:
    participation = _respond(actor, participation, ParticipationState.DECLINED, reason)
    _record(EventKind.PARTICIPATION_DECLINED, actor, participation, reason=reason)
    return participation


@transaction.atomic
def participation_update(
    *, actor: AbstractBaseUser, participation: Participation, data: dict[str, Any]
) -> Participation:
    """Change role, mandate or contact person. The role is the case managers' to set; only an
    invited or taking-part organisation's participation changes (checked on the locked row)."""
    participation = _lock(participation)
    require(access.can_edit_participation(actor, participation))
    _ensure_current(participation)
    if "role" in data and not access.can_manage_case(actor, participation.case):
        require(data["role"] == participation.role, _("Only the case's managers change a role."))
    ensure_case_open(participation.case)
    changes = apply_changes(participation, data, PARTICIPATION_EDITABLE_FIELDS)
    if not changes:
        return participation
    participation.full_clean()
    _validate_single_lead(participation)
    _validate_contact(participation)
    save_with_history(participation, actor=actor)
    if "contact_person" in changes and participation.contact_person is not None:
        case_follow_automatic(case=participation.case, user=participation.contact_person)
    return participation


@transaction.atomic
def participation_withdraw(
    *, actor: AbstractBaseUser, participation: Participation, reason: str = ""
) -> Participation:
    """End an organisation's part in the case; it must first hand over the actions it leads."""
    participation = _lock(participation)
    require(access.can_edit_participation(actor, participation))
    ensure_case_open(participation.case)
    _ensure_current(participation)
    leads_open_actions = Action.objects.filter(
        case_id=participation.case_id,
        lead_organisation_id=participation.organisation_id,
        status__in=OPEN_ACTION_STATUSES,
    ).exists()
    if leads_open_actions:
        raise ValidationError(
            {"state": _("The organisation still leads open actions: hand them over first.")}
        )
    participation.state = ParticipationState.WITHDRAWN
    save_with_history(participation, actor=actor, reason=reason)
    _record(EventKind.PARTICIPATION_WITHDRAWN, actor, participation, reason=reason)
    return participation
