"""Every write to meetings, agendas, minutes and calendar feeds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import save_with_history
from cases.models import Case
from cases.services.common import apply_changes, require
from notifications.choices import EventKind
from notifications.services import event_record

from . import access
from .choices import ItemKind, ItemState
from .models import AgendaItem, CalendarFeed, Meeting, MinutesVersion

MEETING_EDITABLE_FIELDS = {"title", "starts_at", "ends_at", "place", "link"}
CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "place", "link"}


def _require_preparer(actor: AbstractBaseUser) -> None:
    require(
        access.can_prepare_meetings(actor),
        _("Only the committee and its secretariat prepare meetings."),
    )


@transaction.atomic
def meeting_create(
    *,
    actor: AbstractBaseUser,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    link: str = "",
    expected_members: list[AbstractBaseUser] | None = None,
) -> Meeting:
    """A new meeting; the committee's members are expected unless others are named."""
    _require_preparer(actor)
    meeting = Meeting(
        title=title, starts_at=starts_at, ends_at=ends_at, place=place, link=link, created_by=actor
    )
    meeting.full_clean()
    if not place and not link:
        raise ValidationError({"place": _("Give a place or a link to the meeting.")})
    members = (
        list(access.committee_members()) if expected_members is None else list(expected_members)
    )
    _validate_members(members)
    save_with_history(meeting, actor=actor, created=True, m2m={"expected_members": members})
    return meeting


def _validate_members(members: list[AbstractBaseUser]) -> None:
    strangers = [m.get_username() for m in members if not access.can_view_meetings(m)]
    if strangers:
        raise ValidationError(
            {
                "expected_members": _(
                    "Not a member of the committee or its secretariat: %(names)s."
                )
                % {"names": ", ".join(strangers)}
            }
        )


@transaction.atomic
def meeting_update(
    *,
    actor: AbstractBaseUser,
    meeting: Meeting,
    data: dict[str, Any],
    expected_members: list[AbstractBaseUser] | None = None,
    present_members: list[AbstractBaseUser] | None = None,
) -> Meeting:
    """Change a meeting; a change of time or place moves it in everyone's calendar."""
    _require_preparer(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changes = apply_changes(meeting, data, MEETING_EDITABLE_FIELDS)
    meeting.full_clean()
    if not meeting.place and not meeting.link:
        raise ValidationError({"place": _("Give a place or a link to the meeting.")})
    m2m: dict[str, list] = {}
    if expected_members is not None:
        _validate_members(expected_members)
        m2m["expected_members"] = list(expected_members)
    if present_members is not None:
        _validate_members(present_members)
        m2m["present_members"] = list(present_members)
    if not changes and not m2m:
        return meeting
    if set(changes) & CALENDAR_FIELDS:
        meeting.sequence += 1
    save_with_history(meeting, actor=actor, m2m=m2m)
    return meeting


def _next_position(meeting: Meeting) -> int:
    last = meeting.items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _validate_item(kind: str, case: Case | None) -> None:
    if kind != ItemKind.OTHER and case is None:
        raise ValidationError({"case": _("A status report or proposal refers to a case.")})


@transaction.atomic
def agenda_item_propose(
    *,
    actor: AbstractBaseUser,
    meeting: Meeting,
    case: Case,
    kind: str,
    title: str,
    description: str = "",
) -> AgendaItem:
    """A case's coordinator proposes an item about the case; the secretariat takes it up."""
    require(access.can_propose_item(actor, case), _("Only the case's managers propose items."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.starts_at <= timezone.now():
        raise ValidationError({"meeting": _("The meeting has already started.")})
    item = AgendaItem(
        meeting=meeting,
        case=case,
        kind=kind,
        title=title,
        description=description,
        state=ItemState.PROPOSED,
        position=_next_position(meeting),
        proposed_by=actor,
    )
    _validate_item(kind, case)
    item.full_clean()
    save_with_history(item, actor=actor, created=True)
    return item


@transaction.atomic
def agenda_item_add(
    *,
    actor: AbstractBaseUser,
    meeting: Meeting,
    kind: str,
    title: str,
    case: Case | None = None,
    description: str = "",
) -> AgendaItem:
    """The secretariat puts an item on the agenda directly."""
    _require_preparer(actor)
    if case is not None:
        require(access.can_view_case(actor, case), _("You may not do this."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem(
        meeting=meeting,
        case=case,
        kind=kind,
        title=title,
        description=description,
        state=ItemState.ON_AGENDA,
        position=_next_position(meeting),
        proposed_by=actor,
    )
    _validate_item(kind, case)
    item.full_clean()
    save_with_history(item, actor=actor, created=True)
    return item


@transaction.atomic
def agenda_item_decide(
    *, actor: AbstractBaseUser, item: AgendaItem, take_up: bool, reason: str = ""
) -> AgendaItem:
    """The secretariat takes a proposed item up on the agenda, or not (with a reason)."""
    _require_preparer(actor)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ItemState.PROPOSED:
        raise ValidationError({"state": _("The item is no longer a proposal.")})
    if not take_up and not reason.strip():
        raise ValidationError({"reason": _("Say why the item is not taken up.")})
    item.state = ItemState.ON_AGENDA if take_up else ItemState.DECLINED
    save_with_history(item, actor=actor, reason=reason)
    return item


@transaction.atomic
def agenda_order(*, actor: AbstractBaseUser, meeting: Meeting, item_ids: list[int]) -> None:
    """Put the meeting's agenda items in the given order (all of them, each once)."""
    _require_preparer(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    items = {item.pk: item for item in meeting.items.exclude(state=ItemState.DECLINED)}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise ValidationError({"items": _("Give every item of the agenda exactly once.")})
    for position, pk in enumerate(item_ids):
        item = items[pk]
        if item.position != position:
            item.position = position
            save_with_history(item, actor=actor)


def _agenda_payload(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting.pk,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
    }


@transaction.atomic
def agenda_send(*, actor: AbstractBaseUser, meeting: Meeting) -> Meeting:
    """Send the agenda to the members expected (an email with the agenda and an invitation)."""
    _require_preparer(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.items.filter(state=ItemState.ON_AGENDA).exists():
        raise ValidationError(_("The agenda has no items yet."))
    if meeting.items.filter(state=ItemState.PROPOSED).exists():
        raise ValidationError(_("Take up or decline the proposed items first."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has already started."))
    if meeting.agenda_sent_at is not None:
        meeting.sequence += 1  # a resent agenda updates the invitation
    meeting.agenda_sent_at = timezone.now()
    save_with_history(meeting, actor=actor, reason="agenda sent")
    event_record(
        kind=EventKind.MEETING_AGENDA_SENT,
        actor=actor,
        target=meeting,
        payload=_agenda_payload(meeting),
    )
    return meeting


def _latest_minutes(item: AgendaItem) -> MinutesVersion | None:
    return item.minutes.select_for_update().order_by("-number").first()


@transaction.atomic
def minutes_write(*, actor: AbstractBaseUser, item: AgendaItem, text: str) -> MinutesVersion:
    """Write or edit the item's minutes until they are adjusted; after that they are locked
    (see `minutes_correct`)."""
    _require_preparer(actor)
    require(access.can_view_item(actor, item))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ItemState.ON_AGENDA:
        raise ValidationError(_("Only items on the agenda have minutes."))
    latest = _latest_minutes(item)
    if latest is not None and latest.is_adjusted:
        raise ValidationError(
            {"text": _("The minutes are adjusted and locked; write a correction instead.")}
        )
    if latest is None:
        latest = MinutesVersion(item=item, number=1, written_by=actor)
    latest.text = text
    latest.written_by = actor
    latest.written_at = timezone.now()
    latest.full_clean()
    latest.save()
    return latest


@transaction.atomic
def minutes_correct(
    *, actor: AbstractBaseUser, item: AgendaItem, text: str, reason: str
) -> MinutesVersion:
    """Correct adjusted minutes: a new version with its reason, which is adjusted in turn; the
    adjusted version stays as it was."""
    _require_preparer(actor)
    require(access.can_view_item(actor, item))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    latest = _latest_minutes(item)
    if latest is None or not latest.is_adjusted:
        raise ValidationError(_("Only adjusted minutes are corrected; edit the draft instead."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the adjusted minutes are corrected.")})
    version = MinutesVersion(
        item=item, number=latest.number + 1, text=text, reason=reason, written_by=actor
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def minutes_adjust(*, actor: AbstractBaseUser, version: MinutesVersion) -> MinutesVersion:
    """A committee member other than the writer adjusts ("justerar") the minutes: locked."""
    version = (
        MinutesVersion.objects.select_for_update()
        .select_related("item__meeting")
        .get(pk=version.pk)
    )
    require(
        access.can_adjust_minutes(actor, version),
        _("Minutes are adjusted by a committee member other than the one who wrote them."),
    )
    if version.is_adjusted:
        raise ValidationError(_("These minutes are already adjusted."))
    if version.item.minutes.filter(number__gt=version.number).exists():
        raise ValidationError(_("A later version of these minutes exists."))
    version.adjusted_by = actor
    version.adjusted_at = timezone.now()
    version.save(update_fields=["adjusted_by", "adjusted_at"])
    meeting = version.item.meeting
    event_record(
        kind=EventKind.MEETING_MINUTES_ADJUSTED,
        actor=actor,
        target=meeting,
        payload={
            **_agenda_payload(meeting),
            "item": version.item_id,
            "item_title": version.item.title,
            "version": version.number,
            "case": version.item.case_id,
        },
    )
    return version


@transaction.atomic
def calendar_feed_create(*, actor: AbstractBaseUser) -> CalendarFeed:
    """A new secret calendar address; the previous one stops working."""
    require(actor.is_authenticated)
    CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarFeed.objects.create(user=actor)


@transaction.atomic
def calendar_feed_revoke(*, actor: AbstractBaseUser) -> int:
    """The person's calendar address stops working (404 from now on)."""
    return CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
