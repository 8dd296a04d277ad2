"""Organisations that no longer take part in the youth case, each with an admin: one declined
its invitation, one accepted and then withdrew."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from agencies.choices import MembershipRole
from agencies.services import membership_set
from cases import services
from cases.models import Participation
from tests.factories import OrganisationFactory, UserFactory


def former_participant(demo: SimpleNamespace, *, withdrew: bool) -> tuple[Any, Participation]:
    """(admin, participation) of an organisation invited to the youth case that declined (and
    the committee acknowledged the answer, so it can no longer change), or
    that accepted (its admin the contact person) and then withdrew; it leads no action."""
    which = "withdrawn" if withdrew else "declined"
    admin = UserFactory(username=f"{which}-admin", first_name="Former", last_name=which)
    organisation = OrganisationFactory(name=f"Förening som {which}")
    membership_set(user=admin, organisation=organisation, role=MembershipRole.ADMIN)
    invitation = services.participation_invite(
        actor=demo.anna, case=demo.youth, organisation=organisation, role="contributor"
    )
    if withdrew:
        services.participation_accept(actor=admin, participation=invitation, contact_person=admin)
        services.participation_withdraw(actor=admin, participation=invitation, reason="Klart.")
    else:
        services.participation_decline(actor=admin, participation=invitation, reason="Nej.")
        # The coordinator has taken note: the answer stands and the organisation has left.
        services.participation_acknowledge(actor=demo.anna, participation=invitation)
    invitation.refresh_from_db()
    # A fresh user object: nothing cached from before the organisation left.
    admin = type(admin).objects.get(pk=admin.pk)
    return admin, invitation
