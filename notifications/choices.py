from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CASE_CREATED = "case.created", _("Case created")
    CASE_UPDATED = "case.updated", _("Case updated")
    CASE_STATUS_CHANGED = "case.status_changed", _("Case status changed")
    PARTICIPATION_INVITED = "participation.invited", _("Organisation invited")
    PARTICIPATION_ACCEPTED = "participation.accepted", _("Invitation accepted")
    PARTICIPATION_DECLINED = "participation.declined", _("Invitation declined")
    PARTICIPATION_WITHDRAWN = "participation.withdrawn", _("Organisation withdrew")
    ACTION_CREATED = "action.created", _("Action created")
    ACTION_ASSIGNED = "action.assigned", _("Action assigned")
    ACTION_STATUS_CHANGED = "action.status_changed", _("Action status changed")
    ACTION_BLOCKED = "action.blocked", _("Action blocked")
    ACTION_UNBLOCKED = "action.unblocked", _("Blocking action done")
    ACTION_UPDATE_POSTED = "action.update_posted", _("Progress update posted")
    ACTION_OVERDUE = "action.overdue", _("Action overdue")
    MEASUREMENT_REPORTED = "measurement.reported", _("Measurement reported")
    OUTCOME_TARGET_REACHED = "outcome.target_reached", _("Outcome target reached")
    MEASUREMENT_APPROVED = "measurement.approved", _("Measurement approved")
    MEASUREMENT_RETURNED = "measurement.returned", _("Measurement returned")
    MEASUREMENT_CORRECTED = "measurement.corrected", _("Measurement corrected")
    MEASUREMENT_WITHDRAWN = "measurement.withdrawn", _("Measurement withdrawn")
    OUTCOME_TARGET_NO_LONGER_REACHED = (
        "outcome.target_lost",
        _("Outcome target no longer reached"),
    )
    OUTCOME_ARCHIVED = "outcome.archived", _("Outcome archived")
    OUTCOME_REMOVED = "outcome.removed", _("Outcome removed")
    INVITATION_WITHDRAWN = "participation.invitation_withdrawn", _("Invitation withdrawn")
    REPORT_READY = "report.ready", _("Report ready")
    DECISION_TAKEN = "decision.taken", _("Decision taken")
    DECISION_REVOKED = "decision.revoked", _("Decision revoked")
    ATTACHMENT_ADDED = "attachment.added", _("File attached")
    ATTACHMENT_REPLACED = "attachment.replaced", _("Attached file replaced")
    ATTACHMENT_REMOVED = "attachment.removed", _("Attached file removed")
    OBSTACLE_RECORDED = "obstacle.recorded", _("Obstacle recorded")
    OBSTACLE_ESCALATED = "obstacle.escalated", _("Obstacle escalated")
    OBSTACLE_ANSWERED = "obstacle.answered", _("Answer to an escalated obstacle")
    MEETING_AGENDA_SENT = "meeting.agenda_sent", _("Meeting agenda sent")
    MEETING_MINUTES_ADJUSTED = "meeting.minutes_adjusted", _("Meeting minutes adjusted")
    LESSONS_REQUESTED = "lessons.requested", _("Lessons learned asked for")
    LESSONS_REMINDER = "lessons.reminder", _("Reminder: lessons learned")
    LESSON_RECORDED = "lesson.recorded", _("Lesson learned recorded")
    TRUST_ROUND_OPENED = "trust.round_opened", _("Trust self-assessment opened")
    TRUST_ROUND_REMINDER = "trust.round_reminder", _("Reminder: trust self-assessment")
    TRUST_ROUND_CLOSED = "trust.round_closed", _("Trust self-assessment closed")
    FOLLOWUP_DUE = "followup.due", _("Follow-up value due")
    FOLLOWUP_OVERDUE = "followup.overdue", _("Follow-up value overdue")
    EXPERIENCE_SUBMITTED = "experience.submitted", _("Citizen's experience to moderate")
    EXPERIENCE_PUBLISHED = "experience.published", _("Citizen's experience published")


class EmailMode(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In a daily digest")
    OFF = "off", _("Not at all")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    DIGEST = "digest", _("Daily digest")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Ask(models.TextChoices):
    """An event that asks something of its recipient: an email preference of its own, apart
    from the event's kind (the same kind merely informs everyone else)."""

    INVITATION = "ask.invitation", _("An invitation to an organisation I am an admin of")
    ASSIGNMENT = "ask.assignment", _("An action assigned to me")
    REVIEW = "ask.review", _("A reported value waiting for my review")
    RETURNED = "ask.returned", _("A value I reported, returned to me")
