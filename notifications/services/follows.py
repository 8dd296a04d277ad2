"""Who follows which case."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from ..models import CaseFollow


def case_follow_automatic(*, case: models.Model, user: AbstractBaseUser) -> None:
    """Coordinators and contact persons follow their case; an existing follow is kept."""
    CaseFollow.objects.get_or_create(user=user, case=case, defaults={"automatic": True})


@transaction.atomic
def case_follow(*, case: models.Model, user: AbstractBaseUser) -> CaseFollow:
    """Follow a case the user can see (the caller fetched it through a selector)."""
    follow, _created = CaseFollow.objects.get_or_create(user=user, case=case)
    return follow


@transaction.atomic
def case_unfollow(*, case: models.Model, user: AbstractBaseUser) -> None:
    CaseFollow.objects.filter(user=user, case=case).delete()
