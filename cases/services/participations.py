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
    ensure_case_open(case)
    require(
        access.can_manage_case(actor, case), _("Only the committee and the coordinator invite.")
    )
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
    participation.decline_reason = ""
    participation.answer_acknowledged_at = None
    participation.answer_acknowledged_by = None
    participation.full_clean()
    _validate_single_lead(participation)
    _validate_contact(participation)
    save_with_history(participation, actor=actor, created=created)
    _record(EventKind.PARTICIPATION_INVITED, actor, participation)
    return participation


def _ensure_answerable(participation: Participation, state: str) -> None:
    """The invitation is open, or answered the other way and still changeable."""
    if participation.state == ParticipationState.INVITED:
        return
    if not access.answer_changeable(participation):
        raise ValidationError(
            {
                "state": _(
                    "The answer can no longer be changed: the case's manager has acted on it, "
                    "or the invitation was withdrawn."
                )
            },
            code="answered",
        )
    if participation.state == state:
        raise ValidationError(
            {"state": _("Your organisation has already given this answer.")}, code="answered"
        )


def _ensure_leads_nothing_open(participation: Participation) -> None:
    leads_open_actions = Action.objects.filter(
        case_id=participation.case_id,
        lead_organisation_id=participation.organisation_id,
        status__in=OPEN_ACTION_STATUSES,
    ).exists()
    if leads_open_actions:
        raise ValidationError(
            {"state": _("The organisation still leads open actions: hand them over first.")}
        )


def _respond(
    actor: AbstractBaseUser,
    participation: Participation,
    state: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> tuple[Participation, str]:
    """Record the answer on the locked row; returns it with the state it had before."""
    participation = _lock(participation)
    ensure_case_open(participation.case)
    require(
        access.is_invited_organisations_admin(actor, participation),
        _("Only an admin of the invited organisation answers the invitation."),
    )
    _ensure_answerable(participation, state)
    previous = participation.state
    if state == ParticipationState.DECLINED:
        if not reason:
            raise ValidationError({"reason": _("Say why your organisation declines.")})
        if previous == ParticipationState.ACTIVE:
            _ensure_leads_nothing_open(participation)
    apply_changes(participation, changes or {}, PARTICIPATION_EDITABLE_FIELDS)
    participation.state = state
    participation.decline_reason = reason if state == ParticipationState.DECLINED else ""
    participation.responded_by = actor
    participation.responded_at = timezone.now()
    participation.full_clean()
    if previous != ParticipationState.INVITED:
        _validate_single_lead(participation)  # another lead may have been invited meanwhile
    _validate_contact(participation)
    save_with_history(participation, actor=actor, reason=reason)
    return participation, previous


def _changed_from(previous: str) -> dict[str, str]:
    """An answer that replaces an earlier one says so (the timeline and messages show it)."""
    return {} if previous == ParticipationState.INVITED else {"changed_from": previous}


@transaction.atomic
def participation_accept(
    *,
    actor: AbstractBaseUser,
    participation: Participation,
    contact_person: AbstractBaseUser | None = None,
    mandate: str | None = None,
) -> Participation:
    """Accept the invitation, or change a declining answer to accepting while it may change."""
    changes: dict[str, Any] = {}
    if contact_person is not None:
        changes["contact_person"] = contact_person
    if mandate is not None:
        changes["mandate"] = mandate
    participation, previous = _respond(
        actor, participation, ParticipationState.ACTIVE, changes=changes
    )
    _record(EventKind.PARTICIPATION_ACCEPTED, actor, participation, **_changed_from(previous))
    if participation.contact_person is not None:
        case_follow_automatic(case=participation.case, user=participation.contact_person)
    return participation


@transaction.atomic
def participation_decline(
    *, actor: AbstractBaseUser, participation: Participation, reason: str = ""
) -> Participation:
    """Decline the invitation (a reason is required), or change an accepting answer to declining
    while it may change and the organisation leads no open action."""
    reason = (reason or "").strip()
    participation, previous = _respond(actor, participation, ParticipationState.DECLINED, reason)
    _record(
        EventKind.PARTICIPATION_DECLINED,
        actor,
        participation,
        reason=reason,
        **_changed_from(previous),
    )
    return participation


def _acknowledge(participation: Participation, actor: AbstractBaseUser) -> None:
    """Lock the answer: the case's manager has acted on it (saved by the caller)."""
    if access.answer_changeable(participation):
        participation.answer_acknowledged_at = timezone.now()
        participation.answer_acknowledged_by = actor


@transaction.atomic
def participation_acknowledge(
    *, actor: AbstractBaseUser, participation: Participation
) -> Participation:
    """A case manager takes note of the organisation's answer; from then on it stands."""
    participation = _lock(participation)
    ensure_case_open(participation.case)
    require(
        access.is_case_manager(actor, participation.case),
        _("Only the committee and the coordinator acknowledge an answer."),
    )
    if not access.answer_changeable(participation):
        raise ValidationError(
            {"state": _("There is no answer waiting to be acknowledged.")}, code="answered"
        )
    _acknowledge(participation, actor)
    save_with_history(participation, actor=actor)
    return participation


def invitations_withdraw_for_closing(*, actor: AbstractBaseUser, case: Case, reason: str) -> int:
    """Part of closing a case (called inside `case_transition`'s transaction): its open
    invitations are withdrawn, each an event so the invited organisation hears of it, and the
    answers that could still change now stand. Returns how many invitations were withdrawn."""
    rows = Participation.objects.select_for_update(of=("self",)).select_related("organisation")
    withdrawn = 0
    for participation in rows.filter(case=case).order_by("pk"):
        participation.case = case
        if participation.state == ParticipationState.INVITED:
            participation.state = ParticipationState.WITHDRAWN
            save_with_history(participation, actor=actor, reason=reason)
            _record(EventKind.INVITATION_WITHDRAWN, actor, participation, reason=reason)
            withdrawn += 1
        elif access.answer_changeable(participation):
            _acknowledge(participation, actor)
            save_with_history(participation, actor=actor)
    return withdrawn


@transaction.atomic
def participation_update(
    *, actor: AbstractBaseUser, participation: Participation, data: dict[str, Any]
) -> Participation:
    """Change role, mandate or contact person. The role is the case managers' to set; only an
    invited or taking-part organisation's participation changes (checked on the locked row)."""
    participation = _lock(participation)
    ensure_case_open(participation.case)
    require(access.can_edit_participation(actor, participation))
    _ensure_current(participation)
    manager = access.can_manage_case(actor, participation.case)
    if "role" in data and not manager:
        require(data["role"] == participation.role, _("Only the case's managers change a role."))
    changes = apply_changes(participation, data, PARTICIPATION_EDITABLE_FIELDS)
    if not changes:
        return participation
    if manager:
        _acknowledge(participation, actor)  # the manager has acted on the answer
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
    ensure_case_open(participation.case)
    require(access.can_edit_participation(actor, participation))
    _ensure_current(participation)
    _ensure_leads_nothing_open(participation)
    participation.state = ParticipationState.WITHDRAWN
    save_with_history(participation, actor=actor, reason=reason)
    _record(EventKind.PARTICIPATION_WITHDRAWN, actor, participation, reason=reason)
    return participation
