"""Which email each notification deserves: the preference keys, their groups and defaults.

Defaults live here, in code; a NotificationPreference row is an explicit choice of the user
that differs from the default. So a better default reaches everyone who never chose, and a
choice once made is kept.

An email interrupts; only what asks something of its reader is worth one by default (an
invitation to answer, an action to do, a value to review or to fix). Everything else waits
for the daily digest, and the inbox always receives everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Ask, EmailMode, EventKind


@dataclass(frozen=True)
class Group:
    """A group of preference keys the preferences page offers one choice for."""

    key: str
    label: Promise
    help_text: Promise
    keys: tuple[str, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "asks",
        _("Asks something of me"),
        _("An invitation to answer, an action to do, a value to review or to correct."),
        tuple(Ask.values),
    ),
    Group(
        "actions",
        _("Actions"),
        _("Actions added, assigned to others, moved, blocked, overdue and their progress."),
        (
            EventKind.ACTION_CREATED,
            EventKind.ACTION_ASSIGNED,
            EventKind.ACTION_STATUS_CHANGED,
            EventKind.ACTION_BLOCKED,
            EventKind.ACTION_UNBLOCKED,
            EventKind.ACTION_UPDATE_POSTED,
            EventKind.ACTION_OVERDUE,
        ),
    ),
    Group(
        "case",
        _("Case changes"),
        _(
            "Cases registered, changed or moved; organisations invited, joining or leaving; "
            "files attached."
        ),
        (
            EventKind.CASE_CREATED,
            EventKind.CASE_UPDATED,
            EventKind.CASE_STATUS_CHANGED,
            EventKind.PARTICIPATION_INVITED,
            EventKind.PARTICIPATION_ACCEPTED,
            EventKind.PARTICIPATION_DECLINED,
            EventKind.PARTICIPATION_WITHDRAWN,
            EventKind.INVITATION_WITHDRAWN,
            EventKind.ATTACHMENT_ADDED,
            EventKind.ATTACHMENT_REPLACED,
            EventKind.ATTACHMENT_REMOVED,
        ),
    ),
    Group(
        "figures",
        _("Figures"),
        _("Values reported, reviewed, corrected or withdrawn; targets reached or lost."),
        (
            EventKind.MEASUREMENT_REPORTED,
            EventKind.MEASUREMENT_APPROVED,
            EventKind.MEASUREMENT_RETURNED,
            EventKind.MEASUREMENT_CORRECTED,
            EventKind.MEASUREMENT_WITHDRAWN,
            EventKind.OUTCOME_TARGET_REACHED,
            EventKind.OUTCOME_TARGET_NO_LONGER_REACHED,
            EventKind.OUTCOME_ARCHIVED,
            EventKind.OUTCOME_REMOVED,
        ),
    ),
    Group(
        "committee",
        _("The committee's work"),
        _(
            "Decisions on my cases, adjusted minutes of my meetings, obstacles taken further, "
            "reports I asked for, lessons recorded, trust rounds closed, experiences published."
        ),
        (
            EventKind.DECISION_TAKEN,
            EventKind.DECISION_REVOKED,
            EventKind.MEETING_MINUTES_ADJUSTED,
            EventKind.OBSTACLE_RECORDED,
            EventKind.OBSTACLE_ESCALATED,
            EventKind.OBSTACLE_ANSWERED,
            EventKind.REPORT_READY,
            EventKind.LESSON_RECORDED,
            EventKind.TRUST_ROUND_CLOSED,
            EventKind.EXPERIENCE_PUBLISHED,
        ),
    ),
    Group(
        "meetings",
        _("Meetings"),
        _("The agenda and calendar invitation of each meeting I am expected at."),
        (EventKind.MEETING_AGENDA_SENT,),
    ),
    Group(
        "learning",
        _("Learning and follow-up"),
        _(
            "Asked of me: lessons learned to record, a trust self-assessment to answer, an "
            "effect follow-up value to report, a citizen's experience to moderate."
        ),
        (
            EventKind.LESSONS_REQUESTED,
            EventKind.LESSONS_REMINDER,
            EventKind.TRUST_ROUND_OPENED,
            EventKind.TRUST_ROUND_REMINDER,
            EventKind.FOLLOWUP_DUE,
            EventKind.FOLLOWUP_OVERDUE,
            EventKind.EXPERIENCE_SUBMITTED,
        ),
    ),
)

_GROUPED = {key for group in GROUPS for key in group.keys}


def other_group() -> Group | None:
    """Kinds no group names yet (a kind added later): shown together rather than lost."""
    rest = tuple(kind for kind in EventKind.values if kind not in _GROUPED)
    if not rest:
        return None
    return Group("other", _("Other"), _("Everything else that happens on your cases."), rest)


def all_groups() -> tuple[Group, ...]:
    extra = other_group()
    return (*GROUPS, extra) if extra else GROUPS


PREFERENCE_KEYS: tuple[str, ...] = (*Ask.values, *EventKind.values)
LABELS: dict[str, Promise] = {**dict(Ask.choices), **dict(EventKind.choices)}


# Kinds that ask something of every recipient: a meeting's agenda is its invitation; the
# others go only to whom they ask for lessons, answers, a follow-up value or moderation.
IMMEDIATE_KINDS = frozenset(
    {
        EventKind.MEETING_AGENDA_SENT.value,
        EventKind.LESSONS_REQUESTED.value,
        EventKind.LESSONS_REMINDER.value,
        EventKind.TRUST_ROUND_OPENED.value,
        EventKind.TRUST_ROUND_REMINDER.value,
        EventKind.FOLLOWUP_DUE.value,
        EventKind.FOLLOWUP_OVERDUE.value,
        EventKind.EXPERIENCE_SUBMITTED.value,
    }
)


def default_mode(key: str) -> str:
    """What a user who never chose gets: email now for what asks something of them, the
    daily digest for the rest."""
    if key in Ask.values or key in IMMEDIATE_KINDS:
        return EmailMode.IMMEDIATELY
    return EmailMode.DIGEST
