from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from meetings import services
from meetings.choices import ItemKind


@pytest.fixture
def bertil(demo):  # type: ignore[no-untyped-def]
    """A second committee member: the one who adjusts what anna writes."""
    user = get_user_model().objects.create_user(
        username="bertil",
        email="bertil@demo.samverkan.localhost",
        first_name="Bertil",
        last_name="Berg",
        password="samverkan-demo",
    )
    user.groups.add(Group.objects.get(name=settings.COMMITTEE_GROUP))
    return user


@pytest.fixture
def meeting(demo, bertil):  # type: ignore[no-untyped-def]
    starts = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    return services.meeting_create(
        actor=demo.anna,
        title="Kommittésammanträde december",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rosenbad, sal 3",
    )


@pytest.fixture
def agenda(demo, meeting):  # type: ignore[no-untyped-def]
    proposal = services.agenda_item_propose(
        actor=demo.carl,
        meeting=meeting,
        case=demo.youth,
        kind=ItemKind.STATUS_REPORT,
        title="Lägesrapport Södertälje",
    )
    services.agenda_item_decide(actor=demo.anna, item=proposal, take_up=True)
    other = services.agenda_item_add(
        actor=demo.anna, meeting=meeting, kind=ItemKind.OTHER, title="Övriga frågor"
    )
    return SimpleNamespace(report=proposal, other=other)
