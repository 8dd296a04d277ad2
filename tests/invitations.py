"""An invitation of Polismyndigheten to the restricted care case, with a plain member and a
second admin of the police besides petra (the invitation story)."""

from __future__ import annotations

from types import SimpleNamespace

from agencies.choices import MembershipRole
from agencies.services import membership_set
from cases import services
from cases.models import Participation
from tests.factories import UserFactory

MANDATE = "Lokalpolisområde Malmö: samverkan kring unga med psykisk ohälsa."


def police_invited_to_care(demo: SimpleNamespace) -> SimpleNamespace:
    """The invitation, `member` (police, not admin) and `colleague` (police admin)."""
    member = UserFactory(username="polis-medarbetare", first_name="Mona", last_name="Medarbetare")
    colleague = UserFactory(username="polis-admin", first_name="Pelle", last_name="Polis")
    membership_set(user=member, organisation=demo.orgs.police, role=MembershipRole.MEMBER)
    membership_set(user=colleague, organisation=demo.orgs.police, role=MembershipRole.ADMIN)
    invitation = services.participation_invite(
        actor=demo.anna,
        case=demo.care,
        organisation=demo.orgs.police,
        role="partner",
        mandate=MANDATE,
    )
    return SimpleNamespace(invitation=invitation, member=member, colleague=colleague)


def fresh(participation: Participation) -> Participation:
    return Participation.objects.select_related("case", "organisation").get(pk=participation.pk)
