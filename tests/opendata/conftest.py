"""An open-data world: the demo's public case given a goal, figures, an assigned action and a
contributing organisation, so that every dataset has rows and every row could leak a name."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cases import services
from cases.choices import Direction, ParticipationRole, ValueKind

UNAPPROVED_VALUE = Decimal("77.77")


@pytest.fixture
def open_world(demo: SimpleNamespace) -> SimpleNamespace:
    today = timezone.localdate()
    case = demo.public
    gotland = case.participations.get().organisation
    fryshuset = demo.orgs.fryshuset
    invitation = services.participation_invite(
        actor=demo.anna, case=case, organisation=fryshuset, role=ParticipationRole.PARTNER
    )
    services.participation_accept(
        actor=demo.olle, participation=invitation, contact_person=demo.olle, mandate="Träffpunkter."
    )
    demo.outcome = services.outcome_create(
        actor=demo.anna,
        case=case,
        title="Färre äldre som känner sig ensamma",
        indicator="Andel 75+ som ofta känner sig ensamma",
        unit="procent",
        direction=Direction.DECREASE,
        value_kind=ValueKind.PERCENT,
        baseline_value=Decimal("24.00"),
        baseline_date=today - timedelta(days=400),
        target_value=Decimal("15.00"),
        target_date=today + timedelta(days=600),
        data_source="Region Gotlands folkhälsoenkät",
    )
    reported = services.measurement_report(
        actor=demo.gustav,
        outcome=demo.outcome,
        organisation=gotland,
        value=Decimal("21.50"),
        measured_on=today - timedelta(days=30),
        note="Rapporterad av Gustav",
    )
    demo.approved = services.measurement_approve(actor=demo.anna, measurement=reported)
    demo.waiting = services.measurement_report(
        actor=demo.gustav,
        outcome=demo.outcome,
        organisation=gotland,
        value=UNAPPROVED_VALUE,
        measured_on=today - timedelta(days=1),
    )
    demo.action = services.action_create(
        actor=demo.anna,
        case=case,
        title="=Träffar i Visby",
        lead_organisation=gotland,
        contributors=[fryshuset],
        assignee=demo.gustav,
        due_date=today + timedelta(days=60),
    )
    return demo
