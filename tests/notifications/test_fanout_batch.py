"""Batched fan-out: its cost in queries does not grow with the recipients, and a worker's task
drains waiting events (oldest first), never inside a user's request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from cases import services as case_services
from cases.models import Case, Theme
from notifications import services
from notifications.choices import Channel, EventKind
from notifications.models import Delivery, Event, Notification
from notifications.tasks import event_dispatch
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("emails_at_once")

# Lock and read the event; recipients (follows, contacts, visibility, addresses); email modes;
# inbox rows; email deliveries; webhook endpoints (participants, one get_or_create savepoint
# pair); mark dispatched; the transaction's savepoints.
FAN_OUT_QUERIES = 14


def _case_for(demo, followers: int) -> Case:
    """A public case whose only recipients are its coordinator and `followers` committee members
    (with addresses), so an event by anna reaches 1 + followers people."""
    case = case_services.case_create(
        actor=demo.anna,
        title=f"Fan-out to {followers + 1}",
        summary="Batch",
        theme=Theme.objects.first(),
        is_national=True,
        visibility="public",
        coordinator=demo.carl,
    )
    committee = Group.objects.get(name="committee")
    for n in range(followers):
        follower = UserFactory(username=f"batch{followers}-{n}")
        follower.groups.add(committee)
        services.case_follow(case=case, user=follower)
    return case


def _event_on(case: Case, actor) -> Event:
    return Event.objects.create(kind=EventKind.CASE_UPDATED, case=case, actor=actor, payload={})


@pytest.mark.parametrize("recipients", [1, 50])
def test_fan_out_costs_the_same_queries_for_1_and_50_recipients(
    demo, recipients, django_assert_num_queries
) -> None:
    case = _case_for(demo, recipients - 1)
    event = _event_on(case, demo.anna)
    with django_assert_num_queries(FAN_OUT_QUERIES):
        services.event_fan_out(event_id=event.pk)
    assert Notification.objects.filter(event=event).count() == recipients
    assert Delivery.objects.filter(event=event, channel=Channel.EMAIL).count() >= 1


def _waiting_events(demo, count: int) -> list[Event]:
    assert not Event.objects.filter(dispatched_at__isnull=True).exists()
    return [_event_on(demo.youth, demo.anna) for _ in range(count)]


def test_a_workers_task_fans_out_the_oldest_waiting_events_up_to_its_batch(demo) -> None:
    events = _waiting_events(demo, 5)
    to_send = [pk for ids in services.events_fan_out_waiting(limit=3) for pk in ids]
    dispatched = [Event.objects.get(pk=e.pk).dispatched_at is not None for e in events]
    assert dispatched == [True, True, True, False, False]
    assert Notification.objects.filter(event__in=events[:3], recipient=demo.carl).count() == 3
    emails = Delivery.objects.filter(event__in=events[:3], channel=Channel.EMAIL)
    assert sorted(to_send) == sorted(emails.values_list("pk", flat=True))


def test_a_change_made_in_process_fans_out_only_its_own_event(
    demo, django_capture_on_commit_callbacks
) -> None:
    """Without a broker the fan-out runs in the user's request: a backlog must not lengthen it."""
    waiting = _waiting_events(demo, 3)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text="x")
    assert (
        not Event.objects.filter(dispatched_at__isnull=True)
        .exclude(pk__in=[e.pk for e in waiting])
        .exists()
    )
    assert Event.objects.filter(pk__in=[e.pk for e in waiting], dispatched_at=None).count() == 3


def test_a_fan_out_task_run_again_writes_nothing_twice(demo) -> None:
    (event,) = _waiting_events(demo, 1)
    event_dispatch(event.pk)
    event_dispatch(event.pk)
    assert Notification.objects.filter(event=event, recipient=demo.carl).count() == 1
