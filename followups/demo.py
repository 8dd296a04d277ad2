"""Effect follow-ups in the demo: a Malmö case closed a year ago. Its 6-month values were
reported by Malmö stad and approved (the effect held); the 12-month values are due now."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus, Direction, ParticipationRole, ValueKind
from cases.models import Case, CaseStatusChange, Outcome, Theme

from . import services
from .models import FollowUp

CLOSED_AGO = relativedelta(months=12, days=10)  # the 12-month points fell due ten days ago


def _outcome(anna: object, case: Case, start: date, **fields: object) -> Outcome:
    return case_services.outcome_create(
        actor=anna,
        case=case,
        baseline_date=start,
        target_date=start + relativedelta(months=18),
        value_kind=ValueKind.COUNT,
        **fields,
    )


def _closed_case(users: dict, orgs: dict, start: date) -> tuple[Case, list[Outcome]]:
    anna, malik = users["anna"], users["malik"]
    case = case_services.case_create(
        actor=anna,
        title="Trygga skolvägar i Malmö",
        summary="Färre rån och hot mot unga på väg till och från skolan i Malmö.",
        theme=Theme.objects.get(slug="youth-crime"),
        scope_areas=[orgs["malmo"]],
        coordinator=anna,
        start_date=start,
        target_date=start + relativedelta(months=18),
    )
    participation = case_services.participation_invite(
        actor=anna,
        case=case,
        organisation=orgs["malmo"],
        role=ParticipationRole.LEAD,
        mandate="Skolor, fritidsgårdar och trygghetsvärdar i Malmö.",
    )
    case_services.participation_accept(
        actor=malik, participation=participation, contact_person=malik
    )
    case_services.case_transition(
        actor=anna, case=case, to_status=CaseStatus.ACTIVE, reason="Start."
    )
    robberies = _outcome(
        anna,
        case,
        start,
        title="Färre rån mot unga på skolvägen",
        indicator="Anmälda rån mot personer under 18 år nära skolor",
        unit="anmälningar per kvartal",
        direction=Direction.DECREASE,
        baseline_value=Decimal(48),
        target_value=Decimal(30),
        data_source="Polisens anmälningsstatistik",
    )
    feel_safe = _outcome(
        anna,
        case,
        start,
        title="Fler elever känner sig trygga",
        indicator="Elever som svarar att de känner sig trygga på skolvägen",
        unit="elever av 1 000 tillfrågade",
        direction=Direction.INCREASE,
        baseline_value=Decimal(610),
        target_value=Decimal(750),
        data_source="Malmö stads elevenkät",
    )
    return case, [robberies, feel_safe]


def _report_before_closing(users: dict, orgs: dict, outcomes: list[Outcome], on: date) -> None:
    for outcome, value in zip(outcomes, (29, 760), strict=True):
        case_services.measurement_report(
            actor=users["anna"],
            outcome=outcome,
            organisation=orgs["malmo"],
            value=Decimal(value),
            measured_on=on,
        )


def _close_in_the_past(users: dict, case: Case, closed_on: date) -> None:
    """Close the case now, then date the closing and its follow-ups back to `closed_on` (the
    demo's past; the services always close on today's date)."""
    anna = users["anna"]
    for status, reason in (
        (CaseStatus.EVALUATING, "Målen nåddes; vi utvärderar."),
        (CaseStatus.CLOSED, "Arbetssättet är överlämnat till ordinarie verksamhet."),
    ):
        case_services.case_transition(actor=anna, case=case, to_status=status, reason=reason)
    CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.CLOSED).update(
        changed_at=timezone.now() - (timezone.localdate() - closed_on)
    )
    for followup in FollowUp.objects.filter(case=case):
        FollowUp.objects.filter(pk=followup.pk).update(
            closed_on=closed_on, due_on=closed_on + relativedelta(months=followup.months)
        )


def followups_demo(users: dict, orgs: dict) -> None:
    today = timezone.localdate()
    closed_on = today - CLOSED_AGO
    case, outcomes = _closed_case(users, orgs, closed_on - relativedelta(months=20))
    _report_before_closing(users, orgs, outcomes, closed_on - timedelta(days=20))
    _close_in_the_past(users, case, closed_on)
    for outcome, value in zip(outcomes, (28, 755), strict=True):
        six = FollowUp.objects.get(outcome=outcome, months=6)
        measurement = services.followup_report(
            actor=users["malik"],
            followup=six,
            organisation=orgs["malmo"],
            value=Decimal(value),
            measured_on=six.due_on,
            note="Sexmånadersuppföljning.",
        )
        case_services.measurement_approve(actor=users["anna"], measurement=measurement)
