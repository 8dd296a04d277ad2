"""The papers of an agenda item's minutes: listed on the item's minutes page, seen by whoever
sees the item (the committee and the secretariat), added by those who write the minutes; the
members expected at the meeting hear of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.choices import OwnerKind
from documents.models import Attachment
from meetings import services as meeting_services
from meetings.choices import ItemKind
from notifications.choices import EventKind
from notifications.models import Event, Notification
from tests.documents.files import pdf


@pytest.fixture
def item(demo):  # type: ignore[no-untyped-def]
    starts = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    meeting = meeting_services.meeting_create(
        actor=demo.anna,
        title="Kommittésammanträde december",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rosenbad, sal 3",
    )
    return meeting_services.agenda_item_add(
        actor=demo.anna,
        meeting=meeting,
        case=demo.youth,
        kind=ItemKind.STATUS_REPORT,
        title="Lägesrapport: unga i Södertälje",
    )


def _minutes(item) -> str:  # type: ignore[no-untyped-def]
    return reverse("item_minutes", args=[item.pk])


def test_the_secretariat_attaches_papers_on_the_minutes_page_and_it_lists_them(
    client_for, demo, item
) -> None:
    page = client_for(demo.carl).get(_minutes(item)).content.decode()
    add = reverse("attachment_add", kwargs={"kind": "agenda_item", "pk": item.pk})
    assert f'href="{add}"' in page  # "Attach a file" under the minutes
    response = client_for(demo.carl).post(add, {"title": "Bilaga 1", "file": pdf("bilaga.pdf")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(agenda_item=item)
    assert attachment.owner_kind == OwnerKind.AGENDA_ITEM and attachment.case_id is None
    page = client_for(demo.anna).get(_minutes(item)).content.decode()
    assert "bilaga.pdf" in page and "Bilaga 1" in page


@pytest.mark.parametrize("persona", ["petra", "sara", "olle", "eve", None])
def test_an_items_papers_are_not_found_by_those_outside_the_committees_work(
    client_for, demo, item, persona
) -> None:
    attachment = services.attachment_add(
        actor=demo.anna, owner=item, title="Underlag", file=pdf("underlag.pdf")
    )
    client = client_for(getattr(demo, persona) if persona else None)
    urls = [
        reverse("attachment_detail", args=[attachment.pk]),
        reverse("attachment_download", args=[attachment.pk]),
        reverse("attachment_list", kwargs={"kind": "agenda_item", "pk": item.pk}),
    ]
    if persona:  # anonymous visitors are asked to sign in before any form
        urls.append(reverse("attachment_add", kwargs={"kind": "agenda_item", "pk": item.pk}))
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_expected_members_hear_of_an_items_papers_with_a_link_to_the_minutes(
    demo, item, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            actor=demo.carl, owner=item, title="Handlingar", file=pdf()
        )
    event = Event.objects.get(kind=EventKind.ATTACHMENT_ADDED, object_id=attachment.pk)
    recipients = set(Notification.objects.filter(event=event).values_list("recipient", flat=True))
    expected = set(item.meeting.expected_members.values_list("pk", flat=True)) - {demo.carl.pk}
    assert demo.anna.pk in recipients and recipients == expected


def test_the_database_refuses_papers_on_an_item_and_a_meeting_at_once(demo, item) -> None:
    attachment = services.attachment_add(actor=demo.anna, owner=item, title="X", file=pdf())
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).update(meeting=item.meeting)
