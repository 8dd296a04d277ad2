"""Lessons learned in the demo: a closed youth-crime case in Malmö with three lessons (shown on
the Södertälje youth case as lessons from a similar case), and a case in evaluation whose
coordinator is still asked for its lessons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cases import demo as case_demo
from cases import services as case_services
from cases.choices import CaseStatus, Direction, ParticipationRole, ValueKind
from cases.models import Case, Theme

from . import services


def _case(users: dict, orgs: dict, *, title: str, summary: str, theme: str, days: int) -> Case:
    today = timezone.localdate()
    anna, maja = users["anna"], users["maja"]
    case = case_services.case_create(
        actor=anna,
        title=title,
        summary=summary,
        theme=Theme.objects.get(slug=theme),
        scope_areas=[orgs["malmo"]],
        coordinator=maja,
        start_date=today - timedelta(days=days),
        target_date=today - timedelta(days=30),
    )
    for org, role, admin, mandate in (
        (orgs["malmo"], ParticipationRole.LEAD, users["malik"], "Socialtjänst och skola i Malmö."),
        (orgs["region_skane"], ParticipationRole.PARTNER, maja, "Barn- och ungdomspsykiatrin."),
    ):
        case_demo._invite_and_accept(case, org, role, anna, admin, admin, mandate)
    case_services.case_transition(
        actor=maja, case=case, to_status=CaseStatus.ACTIVE, reason="Start."
    )
    return case


def _outcome(case: Case, users: dict, orgs: dict) -> None:
    today = timezone.localdate()
    outcome = case_services.outcome_create(
        actor=users["maja"],
        case=case,
        title="Färre unga som återfaller i brott",
        indicator="Unga 15–20 år som återföll i brott inom ett år",
        unit="personer",
        value_kind=ValueKind.COUNT,
        min_value=Decimal(0),
        max_value=Decimal(500),
        direction=Direction.DECREASE,
        baseline_value=Decimal(48),
        baseline_date=case_demo._add_months(today, -14),
        target_value=Decimal(30),
        target_date=today - timedelta(days=30),
        data_source="Malmö stads uppföljning",
    )
    case_demo._monthly_measurements(
        outcome,
        orgs["malmo"],
        users["malik"],
        [47, 45, 44, 40, 38, 36, 35, 33, 31, 29],
        reviewer=users["maja"],
    )


LESSONS = [
    (
        "malik",
        "Gemensam ärendekonferens polis–socialtjänst",
        "Vi samverkade varje vecka kring samma unga; besluten togs vid bordet och följdes upp "
        "veckan efter.",
        "Sekretessen gjorde att polisen inte fick veta vilka insatser socialtjänsten satte in.",
    ),
    (
        "maja",
        "Delad lägesbild över skolfrånvaro",
        "Skolan, BUP och socialtjänsten samverkar nu kring en gemensam lista över elever med hög "
        "frånvaro, uppdaterad varje månad.",
        "",
    ),
    (
        "malik",
        "Fältassistenter kvällstid",
        "",
        "Utan gemensam finansiering upphörde samverkan när projektpengarna tog slut.",
    ),
]


def lessons_demo(users: dict, orgs: dict) -> None:
    closed = _case(
        users,
        orgs,
        title="Trygga unga i Malmö",
        summary="Socialtjänst, skola och barnpsykiatri samverkade kring unga som återföll i brott.",
        theme="youth-crime",
        days=500,
    )
    _outcome(closed, users, orgs)
    case_services.case_transition(
        actor=users["maja"], case=closed, to_status=CaseStatus.EVALUATING, reason="Klart."
    )
    for username, way, worked, did_not in LESSONS:
        services.lesson_record(
            actor=users[username],
            case=closed,
            way_of_working=way,
            what_worked=worked,
            what_did_not=did_not,
        )
    case_services.case_transition(
        actor=users["maja"], case=closed, to_status=CaseStatus.CLOSED, reason="Utvärderat."
    )
    evaluating = _case(
        users,
        orgs,
        title="Samordnat stöd till äldre i Malmö",
        summary="Kommun och region prövade en gemensam väg in för äldre med stora behov.",
        theme="elderly-care",
        days=400,
    )
    case_services.case_transition(
        actor=users["maja"], case=evaluating, to_status=CaseStatus.EVALUATING, reason="Utvärdera."
    )
