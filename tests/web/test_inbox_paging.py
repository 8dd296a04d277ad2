"""The inbox pages newest first with "previous" and "next", never counting all of a user's
notifications; every notification is reachable and no page is out of range."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.choices import EventKind
from notifications.models import Event, Notification
from notifications.selectors import inbox_page


def _notify(user, case, count: int, *, read: bool = False) -> list[Notification]:
    """`count` notifications an hour apart (so none fold into one line), newest last."""
    start = timezone.now() - timedelta(hours=count + 1)
    events = Event.objects.bulk_create(
        Event(kind=EventKind.CASE_UPDATED, case=case, created_at=start + timedelta(hours=n))
        for n in range(count)
    )
    return Notification.objects.bulk_create(
        Notification(
            event=event,
            recipient=user,
            created_at=event.created_at,
            read_at=event.created_at if read else None,
        )
        for event in events
    )


def test_inbox_page_is_the_newest_notifications_from_the_offset(demo) -> None:
    Notification.objects.filter(recipient=demo.carl).delete()
    made = _notify(demo.carl, demo.youth, 30)
    newest_first = [n.pk for n in reversed(made)]
    assert [n.pk for n in inbox_page(demo.carl, size=10)] == newest_first[:10]
    assert [n.pk for n in inbox_page(demo.carl, offset=25, size=10)] == newest_first[25:]
    assert all(n.case_readable for n in inbox_page(demo.carl, size=5))


def test_unread_only_leaves_out_what_was_read(demo) -> None:
    Notification.objects.filter(recipient=demo.carl).delete()
    _notify(demo.carl, demo.youth, 4, read=True)
    unread = _notify(demo.carl, demo.youth, 3)
    shown = inbox_page(demo.carl, unread_only=True, size=25)
    assert [n.pk for n in shown] == [n.pk for n in reversed(unread)]


def test_the_inbox_pages_forward_and_back_and_reaches_the_oldest(client_for, demo) -> None:
    Notification.objects.filter(recipient=demo.carl).delete()
    _notify(demo.carl, demo.youth, 30)
    client = client_for(demo.carl)
    first = client.get(reverse("inbox")).content.decode()
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    second = client.get(reverse("inbox"), {"page": "2"}).content.decode()
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    assert second.count(">Mark as read<span") == 5  # the five oldest


def test_a_garbled_or_too_large_page_number_never_fails(client_for, demo) -> None:
    client = client_for(demo.carl)
    for value in ("x", "0", "-1", "²", "9" * 30):
        response = client.get(reverse("inbox"), {"page": value})
        assert response.status_code == 200, value
    Notification.objects.filter(recipient=demo.carl).delete()
    _notify(demo.carl, demo.youth, 30)
    past = client.get(reverse("inbox"), {"page": "500", "unread": "1"}).content.decode()
    assert "Page 1<" in past and 'href="?unread=1&amp;page=2" rel="next"' in past
