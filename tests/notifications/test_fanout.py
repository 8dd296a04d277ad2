from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services as case_services
from cases.choices import ActionStatus
from notifications import services
from notifications.choices import Channel, EmailMode, EventKind
from notifications.models import CaseFollow, Delivery, Event, Notification
from tests.factories import UserFactory
from tests.helpers import run_scheduled_sends


def _inbox_kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("event__kind", flat=True))


def _post_update(demo, django_capture_on_commit_callbacks, text: str = "Klart snart") -> Event:
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update_post(actor=demo.petra, action=demo.actions.picture, text=text)
    run_scheduled_sends()  # the emails go with the in-process schedule, not in the request
    return Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).first()


def test_progress_update_reaches_coordinator_and_contacts_but_not_the_actor(
    demo, django_capture_on_commit_callbacks
) -> None:
    event = _post_update(demo, django_capture_on_commit_callbacks)
    recipients = set(Notification.objects.filter(event=event).values_list("recipient", flat=True))
    assert demo.carl.pk in recipients  # coordinator
    assert demo.olle.pk in recipients  # Fryshuset's contact person follows the case
    assert demo.petra.pk not in recipients  # the actor
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_follower_who_cannot_see_the_restricted_case_gets_nothing(
    demo, django_capture_on_commit_callbacks
) -> None:
    services.case_follow(case=demo.youth, user=demo.eve)  # e.g. followed before losing access
    event = _post_update(demo, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(event=event, recipient=demo.eve).exists()


@pytest.mark.usefixtures("emails_at_once")
def test_fan_out_run_twice_never_shows_a_notification_twice(
    demo, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    event = _post_update(demo, django_capture_on_commit_callbacks)
    sent = len(mailoutbox)
    notifications = Notification.objects.filter(event=event).count()
    Event.objects.filter(pk=event.pk).update(dispatched_at=None)  # as if the worker was lost
    services.event_fan_out(event_id=event.pk)
    services.event_fan_out(event_id=event.pk)
    assert Notification.objects.filter(event=event).count() == notifications
    assert Delivery.objects.filter(event=event, channel=Channel.EMAIL).count() == notifications
    for delivery_id in Delivery.objects.filter(event=event).values_list("pk", flat=True):
        assert services.email_delivery_send(delivery_id=delivery_id) == services.SendResult.SKIPPED
    assert len(mailoutbox) == sent


def test_blocking_action_done_tells_the_owner_of_the_waiting_action(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_services.action_update(
            actor=demo.petra, action=demo.actions.picture, data={"status": ActionStatus.DONE}
        )
    unblocked = Event.objects.get(kind=EventKind.ACTION_UNBLOCKED)
    assert unblocked.object_id == demo.actions.talks.pk
    assert Notification.objects.filter(event=unblocked, recipient=demo.sara).exists()


def test_invitation_reaches_the_invited_organisations_admin(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_services.participation_invite(
            actor=demo.anna, case=demo.youth, organisation=demo.orgs.malmo, role="contributor"
        )
    event = Event.objects.filter(kind=EventKind.PARTICIPATION_INVITED).first()
    # Malmö's admin answers invitations, although the restricted case is not yet visible to him.
    assert Notification.objects.filter(event=event, recipient=demo.malik).exists()
    assert Notification.objects.filter(event=event, recipient=demo.carl).exists()
    assert not Notification.objects.filter(event=event, recipient=demo.eve).exists()


def test_a_change_that_rolls_back_emits_nothing(demo, django_capture_on_commit_callbacks) -> None:
    before = Event.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        case_services.action_update_post(
            actor=demo.petra, action=demo.actions.picture, text="", new_status="nonsense"
        )
    assert Event.objects.count() == before
    assert callbacks == []


@pytest.mark.usefixtures("emails_at_once")
def test_email_mode_decides_the_channel_and_off_still_fills_the_inbox(
    demo, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    kind = EventKind.ACTION_UPDATE_POSTED
    services.preferences_set(user=demo.carl, email_modes={kind: EmailMode.DIGEST})
    services.preferences_set(user=demo.olle, email_modes={kind: EmailMode.OFF})
    event = _post_update(demo, django_capture_on_commit_callbacks)
    assert Delivery.objects.get(event=event, recipient=demo.carl).channel == Channel.DIGEST
    assert not Delivery.objects.filter(event=event, recipient=demo.olle).exists()
    assert Notification.objects.filter(event=event, recipient=demo.olle).exists()
    assert demo.carl.email not in [m.to[0] for m in mailoutbox]
    assert demo.sara.email in [m.to[0] for m in mailoutbox]


def _fan_out_queries(event: Event) -> int:
    Event.objects.filter(pk=event.pk).update(dispatched_at=None)
    Notification.objects.filter(event=event).delete()
    Delivery.objects.filter(event=event).delete()
    with CaptureQueriesContext(connection) as queries:
        services.event_fan_out(event_id=event.pk)
    return len(queries)


def test_fan_out_queries_do_not_grow_with_recipients(
    demo, django_capture_on_commit_callbacks
) -> None:
    event = _post_update(demo, django_capture_on_commit_callbacks)
    few = _fan_out_queries(event)
    committee = Group.objects.get(name="committee")
    for n in range(200):
        follower = UserFactory(username=f"follower{n}")
        follower.groups.add(committee)  # committee members see the restricted case
        services.case_follow(case=demo.youth, user=follower)
    many = _fan_out_queries(event)
    assert Notification.objects.filter(event=event).count() > 200
    # SQLite splits a bulk insert of many rows into batches (its variable limit); PostgreSQL not.
    batches = 1 if connection.vendor == "sqlite" else 0
    assert few <= many <= few + batches
    assert few <= 21  # recipients, inbox rows, email deliveries and the webhook deliveries


def test_coordinator_and_contact_persons_follow_their_case_automatically(demo) -> None:
    follows = dict(CaseFollow.objects.filter(case=demo.youth).values_list("user", "automatic"))
    for user in (demo.carl, demo.sara, demo.petra, demo.olle):
        assert follows[user.pk] is True
    assert demo.eve.pk not in follows
