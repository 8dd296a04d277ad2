"""Every write of the trust self-assessment: the case's interval, opening a round, an
organisation's answers, the one reminder, closing a round, and the daily job that does the
scheduled ones. Each in one transaction with its events; the scheduled ones take `now`."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Exists, Max, Min, OuterRef
from django.utils.translation import gettext_lazy as _

from agencies.selectors import user_organisation_ids
from cases import access
from cases.choices import CaseStatus, ParticipationState
from cases.models import Case, CaseStatusChange, Participation
from cases.services.common import require
from notifications.choices import EventKind
from notifications.services.events import event_record

from .choices import Principle
from .models import (
    COMMENT_MAX_LENGTH,
    TrustAnswer,
    TrustResponse,
    TrustResult,
    TrustRound,
    TrustSettings,
)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (or the month's last day, from 31 January to 28 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def interval_months(case: Case) -> int:
    row = TrustSettings.objects.filter(case=case).values_list("interval_months", flat=True)
    return row.first() or settings.TRUST_ROUND_INTERVAL_MONTHS


def can_change_interval(user: Any, case: Case) -> bool:
    return access.can_manage_case(user, case)


def asked_organisation_ids(user: Any, trust_round: TrustRound) -> set[int]:
    """The user's organisations asked in the round that still take part in its case."""
    mine = user_organisation_ids(user)
    if not mine:
        return set()
    participants = access.active_participant_ids(trust_round.case)
    return {
        organisation_id
        for organisation_id in trust_round.responses.filter(organisation_id__in=mine).values_list(
            "organisation_id", flat=True
        )
        if organisation_id in participants
    }


@transaction.atomic
def trust_interval_set(*, actor: Any, case: Case, interval_months: int) -> TrustSettings:
    """The coordinator or the committee sets how often the case's organisations are asked."""
    require(can_change_interval(actor, case))
    row = TrustSettings.objects.select_for_update().filter(case=case).first()
    row = row or TrustSettings(case=case)
    row.interval_months = interval_months
    row.full_clean()
    row.save()
    return row


def _working_organisation_ids(case: Case) -> list[int]:
    return list(
        Participation.objects.filter(
            case=case, state=ParticipationState.ACTIVE, role__in=access.WORKING_ROLES
        )
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
    )


@transaction.atomic
def trust_round_open(*, case: Case, now: datetime) -> TrustRound | None:
    """Open the case's next round, asking each organisation in a working role. None when the
    case already has an open round or no organisation to ask."""
    organisations = _working_organisation_ids(case)
    if not organisations or TrustRound.objects.filter(case=case, closed_at=None).exists():
        return None
    number = (TrustRound.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    trust_round = TrustRound(
        case=case,
        number=number,
        opened_at=now,
        deadline=now + timedelta(days=settings.TRUST_ROUND_ANSWER_DAYS),
        asked_count=len(organisations),
    )
    try:
        with transaction.atomic():
            trust_round.save()
    except IntegrityError:  # another worker opened it first
        return None
    TrustResponse.objects.bulk_create(
        [TrustResponse(round=trust_round, organisation_id=pk) for pk in organisations]
    )
    event_record(
        kind=EventKind.TRUST_ROUND_OPENED,
        actor=None,
        case=case,
        target=trust_round,
        payload={
            "number": number,
            "deadline": trust_round.deadline.isoformat(),
            "organisations": organisations,
        },
    )
    return trust_round


def _checked_scores(
    scores: Mapping[str, Any], comments: Mapping[str, str]
) -> dict[str, tuple[int, str]]:
    errors: dict[str, Any] = {}
    checked = {}
    for principle in Principle:
        score = scores.get(principle.value)
        comment = (comments.get(principle.value) or "").strip()
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            errors[principle.value] = _("Choose a score from 1 to 5.")
        if len(comment) > COMMENT_MAX_LENGTH:
            errors[f"{principle.value}_comment"] = _(
                "Keep the comment to %(limit)s characters."
            ) % {"limit": COMMENT_MAX_LENGTH}
        checked[principle.value] = (score, comment)
    unknown = set(scores) - set(Principle.values)
    if unknown:
        errors["principle"] = _("Unknown principle: %(names)s.") % {
            "names": ", ".join(sorted(unknown))
        }
    if errors:
        raise ValidationError(errors)
    return checked


def _response_for(actor: Any, trust_round: TrustRound, organisation_id: int) -> TrustResponse:
    if organisation_id not in user_organisation_ids(actor):
        raise ValidationError(
            {"organisation": _("You can answer only for an organisation you belong to.")}
        )
    response = (
        TrustResponse.objects.select_for_update()
        .filter(round=trust_round, organisation_id=organisation_id)
        .first()
    )
    participants = access.active_participant_ids(trust_round.case)
    if response is None or organisation_id not in participants:
        raise ValidationError({"organisation": _("This organisation was not asked in this round.")})
    return response


@transaction.atomic
def trust_answers_submit(
    *,
    actor: Any,
    trust_round: TrustRound,
    organisation_id: int,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    now: datetime,
) -> TrustResponse:
    """A member answers for their organisation: a score for every principle, comments optional.
    Until the deadline the organisation may change its answers; the history keeps the earlier
    values, never who gave them."""
    trust_round = TrustRound.objects.select_for_update().get(pk=trust_round.pk)
    if (
        trust_round.closed_at is not None
        or now >= trust_round.deadline
        or not access.is_case_open(trust_round.case)
    ):
        raise ValidationError(_("The round has closed; answers can no longer be changed."))
    response = _response_for(actor, trust_round, organisation_id)
    checked = _checked_scores(scores, comments or {})
    existing = {answer.principle: answer for answer in response.answers.all()}
    for principle, (score, comment) in checked.items():
        answer = existing.get(principle) or TrustAnswer(response=response, principle=principle)
        if answer.pk and (answer.score, answer.comment) == (score, comment):
            continue
        answer.score, answer.comment = score, comment
        answer.full_clean(exclude=["response"])
        answer.save()
    response.answered_at = now
    response.save(update_fields=["answered_at"])
    return response


def close_open_round_with_case(actor: Any, case: Case, change: CaseStatusChange) -> None:
    """A case that closes takes its open round with it, counting the answers given so far (the
    case's transition hook: in its transaction)."""
    if change.to_status != CaseStatus.CLOSED:
        return
    open_round = TrustRound.objects.filter(case=case, closed_at=None).first()
    if open_round is not None:
        trust_round_close(trust_round=open_round, now=change.changed_at)


def trust_reminders_send(*, now: datetime) -> int:
    """Remind each organisation that has not answered, once, a few days before the deadline.
    A conditional UPDATE claims the reminder: of two workers, only one sends it."""
    horizon = now + timedelta(days=settings.TRUST_ROUND_REMINDER_DAYS_BEFORE)
    due = TrustResponse.objects.filter(
        round__closed_at=None,
        round__deadline__lte=horizon,
        round__deadline__gt=now,
        answered_at=None,
        reminded_at=None,
    ).order_by("pk")
    sent = 0
    for response_id in list(due.values_list("pk", flat=True)):
        sent += _remind(response_id, now)
    return sent


@transaction.atomic
def _remind(response_id: int, now: datetime) -> int:
    claimed = TrustResponse.objects.filter(
        pk=response_id, reminded_at=None, answered_at=None
    ).update(reminded_at=now)
    if not claimed:
        return 0
    response = TrustResponse.objects.select_related("round__case", "organisation").get(
        pk=response_id
    )
    trust_round = response.round
    event_record(
        kind=EventKind.TRUST_ROUND_REMINDER,
        actor=None,
        case=trust_round.case,
        target=trust_round,
        payload={
            "number": trust_round.number,
            "deadline": trust_round.deadline.isoformat(),
            "organisation": response.organisation_id,
            "organisation_name": response.organisation.name,
        },
    )
    return 1


def _round_averages(trust_round: TrustRound) -> dict[str, Decimal]:
    rows = (
        TrustAnswer.objects.filter(response__round=trust_round, response__answered_at__isnull=False)
        .values("principle")
        .annotate(average=Avg("score"))
    )
    step = Decimal("0.01")
    return {
        row["principle"]: Decimal(str(row["average"])).quantize(step, ROUND_HALF_UP) for row in rows
    }


@transaction.atomic
def trust_round_close(*, trust_round: TrustRound, now: datetime) -> TrustRound:
    """Close the round: count who answered, keep the averages if enough organisations answered
    to hide each one, make it the case's latest, and tell the coordinator and the committee."""
    trust_round = TrustRound.objects.select_for_update().get(pk=trust_round.pk)
    if trust_round.closed_at is not None:
        return trust_round
    answered = trust_round.responses.filter(answered_at__isnull=False).count()
    trust_round.closed_at = now
    trust_round.answered_count = answered
    TrustRound.objects.filter(case_id=trust_round.case_id, latest=True).update(latest=False)
    trust_round.latest = True
    trust_round.save(update_fields=["closed_at", "answered_count", "latest"])
    if answered >= settings.TRUST_ROUND_MIN_ANSWERS:
        TrustResult.objects.bulk_create(
            [
                TrustResult(round=trust_round, principle=principle, average=average)
                for principle, average in _round_averages(trust_round).items()
            ]
        )
    event_record(
        kind=EventKind.TRUST_ROUND_CLOSED,
        actor=None,
        case=trust_round.case,
        target=trust_round,
        payload={
            "number": trust_round.number,
            "asked": trust_round.asked_count,
            "answered": answered,
        },
    )
    return trust_round


def _first_active_at(case_ids: list[int]) -> dict[int, datetime]:
    rows = (
        CaseStatusChange.objects.filter(case_id__in=case_ids, to_status=CaseStatus.ACTIVE)
        .values("case_id")
        .annotate(first=Min("changed_at"))
    )
    return {row["case_id"]: row["first"] for row in rows}


def cases_due(*, now: datetime) -> list[int]:
    """Active cases without an open round whose last round opened at least their interval ago,
    or, never asked, that have been active at least TRUST_ROUND_FIRST_AFTER_MONTHS: a new case
    first finds its feet before it is asked how the collaboration goes."""
    cases = (
        Case.objects.filter(status=CaseStatus.ACTIVE)
        .exclude(Exists(TrustRound.objects.filter(case=OuterRef("pk"), closed_at=None)))
        .annotate(last_opened=Max("trust_rounds__opened_at"))
        .values_list("pk", "last_opened", "trust_settings__interval_months")
        .order_by("pk")
    )
    rows = list(cases)
    first_active = _first_active_at([pk for pk, last, _months in rows if last is None])
    due = []
    for pk, last_opened, months in rows:
        if last_opened is not None:
            next_at = add_months(last_opened, months or settings.TRUST_ROUND_INTERVAL_MONTHS)
        elif pk in first_active:
            next_at = add_months(first_active[pk], settings.TRUST_ROUND_FIRST_AFTER_MONTHS)
        else:
            continue
        if next_at <= now:
            due.append(pk)
    return due


@dataclass(frozen=True)
class RunResult:
    closed: int
    reminded: int
    opened: int


def trust_rounds_run(*, now: datetime) -> RunResult:
    """The daily job; running it twice changes nothing.

    1. Close every open round past its deadline.
    2. Remind organisations that have not answered, once, near the deadline.
    3. Open a round in every case that is due (see `cases_due`).
    """
    overdue = TrustRound.objects.filter(closed_at=None, deadline__lte=now).order_by("deadline")
    closed = 0
    for trust_round in list(overdue):
        trust_round_close(trust_round=trust_round, now=now)
        closed += 1
    reminded = trust_reminders_send(now=now)
    opened = 0
    for case in Case.objects.filter(pk__in=cases_due(now=now)).order_by("pk"):
        opened += trust_round_open(case=case, now=now) is not None
    return RunResult(closed=closed, reminded=reminded, opened=opened)
