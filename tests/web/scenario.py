"""A case of a chosen size, built through the services, for the query-count tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from agencies.choices import MembershipRole, OrganisationKind
from agencies.models import Organisation
from agencies.services import membership_set
from cases import services
from cases.choices import ActionStatus, Direction, ParticipationRole
from cases.models import Action, Case, Outcome, Theme
from notifications.models import Event, Notification
from tests.factories import OrganisationFactory, UserFactory


@dataclass
class Scenario:
    case: Case
    worker: AbstractBaseUser  # coordinator and admin of the lead organisation
    lead: Organisation
    organisations: list[Organisation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def build_case(committee: AbstractBaseUser, rows: int, prefix: str = "Scen") -> Scenario:
    """A case with `rows` participants, actions (each with a contributor, a dependency and a
    progress update), outcomes (each with a measurement) and notifications for its worker."""
    worker = UserFactory(first_name="Lena", last_name=prefix)
    organisations = [
        OrganisationFactory(name=f"{prefix} org {i}", kind=OrganisationKind.CIVIL_SOCIETY)
        for i in range(rows)
    ]
    for org in organisations:
        membership_set(user=worker, organisation=org, role=MembershipRole.ADMIN)
    municipality = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).first()
    case = services.case_create(
        actor=committee,
        title=f"{prefix} case",
        summary="A case built for a test.",
        theme=Theme.objects.first(),
        scope_areas=[municipality],
        coordinator=worker,
    )
    for i, org in enumerate(organisations):
        role = ParticipationRole.LEAD if i == 0 else ParticipationRole.PARTNER
        participation = services.participation_invite(
            actor=committee, case=case, organisation=org, role=role, mandate="Decides budgets."
        )
        services.participation_accept(
            actor=worker, participation=participation, contact_person=worker
        )
    case.refresh_from_db()
    scenario = Scenario(
        case=case, worker=worker, lead=organisations[0], organisations=organisations
    )
    previous: list[Action] = []
    for i, org in enumerate(organisations):
        action = services.action_create(
            actor=committee,
            case=case,
            title=f"{prefix} action {i}",
            lead_organisation=org,
            contributors=[organisations[0]] if i else [],
            depends_on=previous[-1:],
            due_date=date.today() - timedelta(days=1) if i % 2 else None,
            status=ActionStatus.BLOCKED if i % 3 == 1 else ActionStatus.PLANNED,
        )
        services.action_update_post(actor=worker, action=action, text=f"Progress {i}")
        scenario.actions.append(action)
        previous.append(action)
    for i in range(rows):
        outcome = services.outcome_create(
            actor=committee,
            case=case,
            title=f"{prefix} outcome {i}",
            indicator="Share of pupils",
            unit="%",
            direction=Direction.INCREASE,
            baseline_value=Decimal("10"),
            baseline_date=date(2025, 1, 1),
            target_value=Decimal("20"),
            target_date=date(2027, 1, 1),
        )
        services.measurement_report(
            actor=committee,
            outcome=outcome,
            organisation=organisations[i],
            value=Decimal("12.5"),
            measured_on=date(2026, 1, 1),
        )
        scenario.outcomes.append(outcome)
    for event in Event.objects.filter(case=case)[:rows]:
        Notification.objects.get_or_create(event=event, recipient=worker)
    return scenario
