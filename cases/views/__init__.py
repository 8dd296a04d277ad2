"""The web pages of cases; the modules hold the views, this package exposes them to urls.py."""

from .edit import (
    case_create,
    case_edit,
    case_follow_toggle,
    case_transition,
    invitation_answer,
    participation_invite,
)
from .pages import case_detail, case_list, dashboard, my_actions
from .participations import participation_edit, participation_withdraw
from .work import action_create, action_detail, action_edit, measurement_report, outcome_create

__all__ = [
    "action_create",
    "action_detail",
    "action_edit",
    "case_create",
    "case_detail",
    "case_edit",
    "case_follow_toggle",
    "case_list",
    "case_transition",
    "dashboard",
    "invitation_answer",
    "measurement_report",
    "my_actions",
    "outcome_create",
    "participation_edit",
    "participation_invite",
    "participation_withdraw",
]
