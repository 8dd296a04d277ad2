"""Every write to organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .choices import MembershipRole
from .models import Membership, Organisation

ORGANISATION_FIELDS = {
    "name",
    "short_name",
    "name_en",
    "kind",
    "organisation_number",
    "municipality_code",
    "region_code",
    "has_regional_duties",
    "ministry",
    "website",
    "contact_email",
    "is_active",
}


@transaction.atomic
def organisation_create(**fields: Any) -> Organisation:
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    for field, value in data.items():
        if field not in ORGANISATION_FIELDS:
            raise ValueError(f"{field} cannot be changed")
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_set(
    *, user: AbstractBaseUser, organisation: Organisation, role: str = MembershipRole.MEMBER
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    membership.full_clean()
    return membership


@transaction.atomic
def membership_remove(*, user: AbstractBaseUser, organisation: Organisation) -> None:
    Membership.objects.filter(user=user, organisation=organisation).delete()
