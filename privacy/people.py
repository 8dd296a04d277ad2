"""How a person appears to whoever is looking: by name to the case's participants, by role and
organisation ("Coordinator, Södertälje kommun") to anonymous visitors and outsiders.

PRODUCT.md: no person's name or e-mail address is shown to anonymous visitors or in open data.
A public case is read by anyone; its coordinator, contact persons and the authors in its
timeline are people who did not publish themselves. Those who work on the case (the committee,
its coordinator, members of its participating organisations) see names as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from agencies.models import Membership
from agencies.selectors import user_organisation_ids
from cases.access import AnyUser, active_participant_ids, is_committee
from cases.models import Case


def sees_names(viewer: AnyUser | None, case: Case | None) -> bool:
    """Whether `viewer` reads people's names on `case` (without a case: anyone signed in)."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if case is None or is_committee(viewer) or case.coordinator_id == viewer.pk:
        return True
    return bool(user_organisation_ids(viewer) & set(active_participant_ids(case)))


def _organisation_names(case: Case | None) -> dict[int, str]:
    """User id -> the name of their organisation in the case (one query per case and request).

    A member of a participating organisation is shown with it; anyone else with their first
    organisation."""
    if case is None:
        return {}
    cached = getattr(case, "_person_organisations", None)
    if cached is None:
        participants = set(active_participant_ids(case))
        rows = (
            Membership.objects.filter(organisation__participations__case=case)
            .order_by("user_id", "organisation__name")
            .values_list("user_id", "organisation_id", "organisation__name")
            .distinct()
        )
        cached = {}
        for user_id, organisation_id, name in rows:
            if user_id not in cached or organisation_id in participants:
                cached[user_id] = name
        case._person_organisations = cached  # type: ignore[attr-defined]
    return cached


def _committee_ids(case: Case | None) -> set[int]:
    """The committee's members (one query per case and request, only when someone outside the
    case's organisations is shown)."""
    cached = getattr(case, "_committee_ids", None)
    if cached is None:
        cached = set(
            get_user_model()
            .objects.filter(groups__name=settings.COMMITTEE_GROUP)
            .values_list("pk", flat=True)
        )
        if case is not None:
            case._committee_ids = cached  # type: ignore[attr-defined]
    return cached


ROLES = {
    "coordinator": lambda: _("Coordinator"),
    "contact": lambda: _("Contact person"),
    "assignee": lambda: _("Assignee"),
    "author": lambda: "",
}


def role_label(person_id: int, *, case: Case | None, role: str = "author") -> str:
    """'Coordinator, Södertälje kommun': what an outsider reads instead of a name."""
    role_text = ROLES.get(role, ROLES["author"])()
    organisation = _organisation_names(case).get(person_id)
    if organisation is None and person_id in _committee_ids(case):
        organisation = _("the committee")
    if role_text and organisation:
        return _("%(role)s, %(organisation)s") % {"role": role_text, "organisation": organisation}
    return role_text or organisation or _("A participant")


def person_name(person: AbstractBaseUser) -> str:
    return person.get_full_name() or person.get_username()


def person_for(
    viewer: AnyUser | None, person: Any, *, case: Case | None, role: str = "author"
) -> str:
    """The person's name, or their role and organisation when the viewer may not read names."""
    if person is None:
        return ""
    if sees_names(viewer, case):
        return person_name(person)
    return role_label(person.pk, case=case, role=role)
