"""The owner kinds registry: what a file can be attached to, and whose rules apply to it.

Each kind names its model, the Attachment field that points at it, how to find one for a user
(404 when they may not see it: the same rule as the owner's page), who may add files to it, its
case (None for a meeting, which belongs to no case), and its page. A file answers exactly as its
owner's page does. To attach files to another kind (minutes papers, say): add a nullable foreign
key on Attachment (and its line in the owner constraint), an OwnerKind member, and register an
`Owner` here or from that app's `ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import access, selectors
from cases.access import AnyUser
from cases.models import Action, Case
from decisions.models import Decision
from meetings import access as meeting_access
from meetings import selectors as meeting_selectors
from meetings.models import AgendaItem, Meeting

from .choices import OwnerKind


@dataclass(frozen=True)
class Owner:
    kind: str
    model: type[models.Model]
    field: str  # the Attachment field pointing at this kind ("case" for cases)
    get_for_user: Callable[[AnyUser, int], Any]  # raises Http404 when the user may not see it
    can_view: Callable[[AnyUser, Any], bool]
    can_attach: Callable[[AnyUser, Any], bool]
    case_of: Callable[[Any], Case | None]
    url: Callable[[Any], str]
    label: Callable[[Any], str]


OWNERS: dict[str, Owner] = {}


def owner_register(owner: Owner) -> None:
    OWNERS[owner.kind] = owner


def owner_for(kind: str) -> Owner:
    return OWNERS[kind]


def owner_kind_of(instance: models.Model) -> Owner:
    for owner in OWNERS.values():
        if isinstance(instance, owner.model):
            return owner
    raise LookupError(f"files cannot be attached to {type(instance).__name__}")


def _case_by_pk(user: AnyUser, pk: int) -> Case:
    return selectors.case_get_for_user(user, pk=pk)


def _action_by_pk(user: AnyUser, pk: int) -> Action:
    return selectors.action_get_for_user(user, pk=pk)


def _decision_by_pk(user: AnyUser, pk: int) -> Decision:
    from decisions import selectors as decision_selectors

    return decision_selectors.decision_get_by_id_for_user(user, pk=pk)


def _meeting_by_pk(user: AnyUser, pk: int) -> Meeting:
    return meeting_selectors.meeting_get_for_user(user, pk)


def _item_by_pk(user: AnyUser, pk: int) -> AgendaItem:
    return meeting_selectors.item_get_for_user(user, pk)


owner_register(
    Owner(
        kind=OwnerKind.CASE,
        model=Case,
        field="case",
        get_for_user=_case_by_pk,
        can_view=access.can_view_case,
        # Those who may add actions work in the case: its managers and working participants.
        can_attach=access.can_create_action,
        case_of=lambda case: case,
        url=lambda case: reverse("case_detail", kwargs={"reference": case.reference}),
        label=lambda case: f"{case.reference} {case.title}",
    )
)
owner_register(
    Owner(
        kind=OwnerKind.ACTION,
        model=Action,
        field="action",
        get_for_user=_action_by_pk,
        can_view=lambda user, action: access.can_view_case(user, action.case),
        can_attach=access.can_report_action_progress,
        case_of=lambda action: action.case,
        url=lambda action: reverse("action_detail", kwargs={"pk": action.pk}),
        label=lambda action: action.title,
    )
)
owner_register(
    Owner(
        kind=OwnerKind.DECISION,
        model=Decision,
        field="decision",
        get_for_user=_decision_by_pk,
        # A decision is read by whoever may see its case; its papers are the committee's to add.
        can_view=lambda user, decision: access.can_view_case(user, decision.case),
        can_attach=lambda user, decision: access.is_committee(user),
        case_of=lambda decision: decision.case,
        url=lambda decision: reverse(
            "decision_detail", kwargs={"year": decision.year, "number": decision.number}
        ),
        label=lambda decision: _("Decision %(reference)s") % {"reference": decision.reference},
    )
)
owner_register(
    Owner(
        kind=OwnerKind.MEETING,
        model=Meeting,
        field="meeting",
        get_for_user=_meeting_by_pk,
        # Meetings are the committee's and its secretariat's; both see and prepare them.
        can_view=lambda user, meeting: meeting_access.can_view_meetings(user),
        can_attach=lambda user, meeting: meeting_access.can_prepare_meetings(user),
        case_of=lambda meeting: None,
        url=lambda meeting: reverse("meeting_detail", kwargs={"pk": meeting.pk}),
        label=lambda meeting: str(meeting),
    )
)
owner_register(
    Owner(
        kind=OwnerKind.AGENDA_ITEM,
        model=AgendaItem,
        field="agenda_item",
        get_for_user=_item_by_pk,
        # The papers of an item's minutes: seen as the item is (its meeting, and its case if it
        # has one), added by those who write the minutes.
        can_view=lambda user, item: (
            meeting_access.can_view_meetings(user) and meeting_access.can_view_item(user, item)
        ),
        can_attach=lambda user, item: meeting_access.can_prepare_meetings(user),
        case_of=lambda item: None,
        url=lambda item: reverse("item_minutes", kwargs={"pk": item.pk}),
        label=lambda item: item.title,
    )
)
