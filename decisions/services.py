"""Writes to decisions: taking a decision (which may revoke an earlier one). Nothing else
changes a decision: it is never edited or deleted, and revoked only by a later decision."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.history import save_with_history
from cases.models import Case
from cases.services.common import require
from meetings.models import Meeting
from notifications.choices import EventKind
from notifications.services import event_record

from .choices import DecidedBy
from .models import Decision, DecisionCounter

EVENT_TEXT_LENGTH = 300  # what an event keeps of the decision's text (its line is one line)


def decision_number_allocate(*, year: int) -> int:
    """The next number of the year, in the caller's transaction.

    One statement creates the year's counter or increments it, and returns the new value. The
    counter row stays locked until the caller commits, so concurrent takers wait for each
    other: no two decisions share a number, and a rolled-back decision gives its number back
    (no gaps).
    """
    table = DecisionCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        return int(cursor.fetchone()[0])


def _check_who_decided(
    decided_by: str, delegate: AbstractBaseUser | None, meeting: Meeting | None
) -> None:
    if decided_by == DecidedBy.DELEGATE:
        if meeting is not None:
            raise ValidationError(
                {"meeting": _("A decision at a meeting is the committee's, not a delegate's.")}
            )
        if delegate is None:
            raise ValidationError({"delegate": _("Name the delegate who took the decision.")})
        if not delegate.is_active or not access.is_committee(delegate):
            raise ValidationError(
                {"delegate": _("The delegate must be an active member of the committee.")}
            )
    elif delegate is not None:
        raise ValidationError(
            {"delegate": _("Only a decision taken by delegation names a delegate.")}
        )


def _check_date(decided_on: date, meeting: Meeting | None) -> None:
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    if meeting is not None and timezone.localdate(meeting.starts_at) != decided_on:
        raise ValidationError(
            {"decided_on": _("A decision at a meeting is dated the day of the meeting.")}
        )


def _locked_earlier(revokes: Decision, case: Case, decided_on: date) -> Decision:
    """The decision to revoke, locked: two decisions cannot both revoke it."""
    earlier = Decision.objects.select_for_update().get(pk=revokes.pk)
    if earlier.case_id != case.pk:
        raise ValidationError(
            {"revokes": _("A decision revokes only an earlier decision on the same case.")}
        )
    if Decision.objects.filter(revokes=earlier).exists():
        raise ValidationError({"revokes": _("That decision has already been revoked.")})
    if earlier.decided_on > decided_on:
        raise ValidationError({"revokes": _("A decision revokes only a decision taken before it.")})
    return earlier


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVENT_TEXT_LENGTH else text[: EVENT_TEXT_LENGTH - 1] + "…"


@transaction.atomic
def decision_take(
    *,
    actor: AbstractBaseUser,
    case: Case,
    decided_on: date,
    text: str,
    meeting: Meeting | None = None,
    decided_by: str = DecidedBy.COMMITTEE,
    delegate: AbstractBaseUser | None = None,
    revokes: Decision | None = None,
) -> Decision:
    """Record a decision of the committee on a case and give it the next number of its year.

    1. Only committee members record decisions; the decision is checked whole first.
    2. A revoked decision is locked, so that only one later decision revokes it.
    3. The number is allocated last, just before the row is written: whatever fails rolls
       the counter back with it.
    4. History (the case's timeline) and events (`decision.taken`, and `decision.revoked` for
       the earlier decision) are written in the same transaction.
    """
    require(access.is_committee(actor), _("Only committee members record decisions."))
    decision = Decision(
        case=case,
        decided_on=decided_on,
        text=(text or "").strip(),
        meeting=meeting,
        decided_by=decided_by,
        delegate=delegate,
        revokes=revokes,
        recorded_by=actor,
        year=decided_on.year if isinstance(decided_on, date) else 0,
        number=1,
    )
    decision.full_clean(
        exclude=["year", "number", "revokes"], validate_unique=False, validate_constraints=False
    )
    _check_who_decided(decided_by, delegate, meeting)
    _check_date(decided_on, meeting)
    if revokes is not None:
        decision.revokes = _locked_earlier(revokes, case, decided_on)
    decision.number = decision_number_allocate(year=decision.year)
    save_with_history(decision, actor=actor, created=True)
    _events(actor, decision)
    return decision


def _events(actor: AbstractBaseUser, decision: Decision) -> None:
    payload = {"reference": decision.reference, "text": _short(decision.text)}
    if decision.revokes is not None:
        payload["revokes"] = decision.revokes.reference
    event_record(
        kind=EventKind.DECISION_TAKEN,
        actor=actor,
        case=decision.case,
        target=decision,
        payload=payload,
    )
    if decision.revokes is not None:
        event_record(
            kind=EventKind.DECISION_REVOKED,
            actor=actor,
            case=decision.case,
            target=decision.revokes,
            payload={
                "reference": decision.revokes.reference,
                "revoked_by": decision.reference,
                "text": _short(decision.revokes.text),
            },
        )
