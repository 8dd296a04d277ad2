"""Every write to cases and what belongs to them. Each function is one transaction."""

from .actions import action_create, action_update, action_update_post
from .cases import case_create, case_reference_allocate, case_transition, case_update
from .common import StaleVersion, TransitionNotAllowed
from .measurements import (
    measurement_approve,
    measurement_correct,
    measurement_report,
    measurement_return,
    measurement_withdraw,
)
from .outcomes import outcome_archive, outcome_create, outcome_remove, outcome_update
from .participations import (
    participation_accept,
    participation_acknowledge,
    participation_decline,
    participation_invite,
    participation_update,
    participation_withdraw,
)

__all__ = [
    "StaleVersion",
    "TransitionNotAllowed",
    "action_create",
    "action_update",
    "action_update_post",
    "case_create",
    "case_reference_allocate",
    "case_transition",
    "case_update",
    "measurement_approve",
    "measurement_correct",
    "measurement_report",
    "measurement_return",
    "measurement_withdraw",
    "outcome_archive",
    "outcome_create",
    "outcome_remove",
    "outcome_update",
    "participation_accept",
    "participation_acknowledge",
    "participation_decline",
    "participation_invite",
    "participation_update",
    "participation_withdraw",
]
