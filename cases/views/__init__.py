"""The web pages of cases; the modules hold the views, this package exposes them to urls.py."""

from .attention import attention_list
from .edit import (
    case_create,
    case_edit,
    case_follow_toggle,
    case_transition,
    participation_invite,
)
from .pages import case_detail, case_list, dashboard, my_actions
from .participations import invitation_answer, participation_edit, participation_withdraw
from .review import (
    measurement_correct,
    measurement_review,
    measurement_withdraw,
    outcome_edit,
    outcome_remove,
)
from .work import action_create, action_detail, action_edit, measurement_report, outcome_create

__all__ = [
    "action_create",
    "action_detail",
    "action_edit",
    "attention_list",
    "case_create",
    "case_detail",
    "case_edit",
    "case_follow_toggle",
    "case_list",
    "case_transition",
    "dashboard",
    "invitation_answer",
    "measurement_correct",
    "measurement_report",
    "measurement_review",
    "measurement_withdraw",
    "my_actions",
    "outcome_create",
    "outcome_edit",
    "outcome_remove",
    "participation_edit",
    "participation_invite",
    "participation_withdraw",
]
