"""Every write of citizens' experiences: a submission from the public, its moderation, a reply
by e-mail and the purge of contact addresses. Each in one transaction, with its events."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.services.common import require
from notifications.choices import EventKind
from notifications.services.events import broker_publish, event_record

from .choices import ExperienceKind, ExperienceStatus
from .models import Experience
from .selectors import accepts_experiences, can_moderate

logger = logging.getLogger(__name__)
EXCERPT = 200
# A reply claimed by a sender that has not finished in this long is taken as lost with it.
REPLY_SEND_LEASE = timedelta(minutes=10)
SWEEP_BATCH = 200


def _clean_text(value: str) -> str:
    return (value or "").strip()


@transaction.atomic
def experience_submit(*, case: Case, kind: str, text: str, contact_email: str = "") -> Experience:
    """Anyone shares an experience or a suggestion on a public case; it waits for moderation
    and the case's coordinator is told (without the text or the address)."""
    if not accepts_experiences(case):
        raise ValidationError(_("This case does not take experiences or suggestions now."))
    if kind not in ExperienceKind.values:
        raise ValidationError({"kind": _("Choose an experience or a suggestion.")})
    experience = Experience(
        case=case,
        kind=kind,
        text=_clean_text(text),
        contact_email=(contact_email or "").strip(),
    )
    experience.full_clean()
    experience.save()
    event_record(
        kind=EventKind.EXPERIENCE_SUBMITTED,
        actor=None,
        case=case,
        target=experience,
        payload={"kind": experience.kind},
    )
    return experience


def _locked_pending(actor: Any, experience: Experience) -> Experience:
    require(can_moderate(actor, experience.case))
    locked = Experience.objects.select_for_update().select_related("case").get(pk=experience.pk)
    if locked.status != ExperienceStatus.PENDING:
        raise ValidationError(_("This has already been moderated."))
    return locked


@transaction.atomic
def experience_publish(*, actor: Any, experience: Experience) -> Experience:
    """A moderator publishes it: from now on it appears on the case's public page."""
    experience = _locked_pending(actor, experience)
    experience.status = ExperienceStatus.PUBLISHED
    experience.moderated_by = actor
    experience.moderated_at = timezone.now()
    experience.save(update_fields=["status", "moderated_by", "moderated_at"])
    event_record(
        kind=EventKind.EXPERIENCE_PUBLISHED,
        actor=actor,
        case=experience.case,
        target=experience,
        payload={"kind": experience.kind, "excerpt": experience.text[:EXCERPT]},
    )
    return experience


@transaction.atomic
def experience_reject(*, actor: Any, experience: Experience, reason: str) -> Experience:
    """A moderator rejects it, saying why (for the other moderators; the public never sees it)."""
    experience = _locked_pending(actor, experience)
    experience.rejection_reason = _clean_text(reason)
    if not experience.rejection_reason:
        raise ValidationError({"rejection_reason": _("Say why it is not published.")})
    experience.status = ExperienceStatus.REJECTED
    experience.moderated_by = actor
    experience.moderated_at = timezone.now()
    experience.full_clean()
    experience.save(update_fields=["status", "rejection_reason", "moderated_by", "moderated_at"])
    return experience


@transaction.atomic
def experience_reply(*, actor: Any, experience: Experience, reply: str) -> Experience:
    """A moderator replies by e-mail to the address the sender left; once the e-mail is sent
    the address is removed. The reply is never published."""
    require(can_moderate(actor, experience.case))
    experience = Experience.objects.select_for_update().select_related("case").get(pk=experience.pk)
    if experience.reply:
        raise ValidationError({"reply": _("A reply has already been sent.")})
    if not experience.contact_email:
        raise ValidationError(
            {"reply": _("The sender left no e-mail address (or it has been removed).")}
        )
    experience.reply = _clean_text(reply)
    if not experience.reply:
        raise ValidationError({"reply": _("Write the reply.")})
    experience.replied_by = actor
    experience.replied_at = timezone.now()
    experience.full_clean()
    experience.save(update_fields=["reply", "replied_by", "replied_at"])
    transaction.on_commit(lambda: experience_reply_hand_off(experience.pk))
    return experience


def experience_reply_hand_off(experience_id: int) -> bool:
    """Queue the reply's e-mail. Without a broker (tasks in-process) nothing is sent inside the
    request: the scheduled sweep sends it within seconds. A failed publish is harmless too."""
    if current_app.conf.task_always_eager:
        return False
    from .tasks import experience_reply_send

    return broker_publish(experience_reply_send.apply_async, (experience_id,))


def _claim_reply(experience_id: int, now: datetime) -> Experience | None:
    """Claim the unsent reply with a conditional UPDATE: zero rows means another sender has it."""
    claimable = Q(reply_claimed_at__isnull=True) | Q(reply_claimed_at__lt=now - REPLY_SEND_LEASE)
    claimed = (
        Experience.objects.filter(pk=experience_id, reply_sent_at__isnull=True)
        .exclude(reply="")
        .exclude(contact_email="")
        .filter(claimable)
        .update(reply_claimed_at=now)
    )
    if not claimed:
        return None
    return Experience.objects.select_related("case").get(pk=experience_id)


def _reply_body(experience: Experience) -> str:
    return "\n\n".join(
        [
            str(_("Thank you for sharing your experience or suggestion on “%(title)s”."))
            % {"title": experience.case.title},
            experience.reply,
            str(_("You wrote:")),
            experience.text,
            str(_("Your e-mail address has now been removed from Samverkan.")),
        ]
    )


def experience_reply_send(*, experience_id: int) -> bool:
    """Send the reply (at least once), then remove the address. True when it was sent now.

    1. Claim the reply (a lease, so a lost sender's claim runs out and the sweep sends it).
    2. Send it through Django's e-mail backend; an error leaves it for the next sweep.
    3. Mark it sent and empty the contact e-mail in one statement.
    """
    experience = _claim_reply(experience_id, timezone.now())
    if experience is None:
        return False
    subject = str(_("Reply about %(reference)s")) % {"reference": experience.case.reference}
    send_mail(
        subject,
        _reply_body(experience),
        settings.DEFAULT_FROM_EMAIL,
        [experience.contact_email],
    )
    Experience.objects.filter(pk=experience.pk).update(
        reply_sent_at=timezone.now(), contact_email=""
    )
    return True


def experience_replies_due() -> list[int]:
    """Replies written but not sent (a hand-off lost, a mail server down), oldest first."""
    rows = (
        Experience.objects.filter(reply_sent_at__isnull=True)
        .exclude(reply="")
        .exclude(contact_email="")
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)
    )
    return list(rows[:SWEEP_BATCH])


def contacts_purge(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Empty the contact e-mail of experiences older than CITIZENS_CONTACT_RETENTION_DAYS,
    a batch at a time; the experiences themselves stay. The number of addresses removed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CITIZENS_CONTACT_RETENTION_DAYS)
    total = 0
    while True:
        ids = list(
            Experience.objects.filter(submitted_at__lt=cutoff)
            .exclude(contact_email="")
            .order_by("submitted_at")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return total
        total += Experience.objects.filter(pk__in=ids).update(contact_email="")
