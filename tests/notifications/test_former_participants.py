"""Old notifications about a case the reader has left: no title, no text from the case, no link,
in the inbox, the API and the dashboard; digests and emails re-check at send time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.services import membership_set
from cases import services as case_services
from notifications import services
from notifications.choices import Channel, DeliveryState, EmailMode, EventKind
from notifications.models import CaseFollow, Delivery, Event, Notification
from tests.factories import UserFactory
from tests.former_participants import former_participant
from tests.helpers import nothing_written

UPDATE_TEXT = "Lägesbilden från polisen är klar"
NO_ACCESS = "A case you no longer have access to"


def _notify_olle(demo) -> None:
    """olle (Fryshuset, observer) follows the youth and the public case; petra reports progress
    in the youth case and anna changes the public case. The events are fanned out (to the inbox,
    and to email or digest deliveries by olle's choice); no email is sent yet."""
    services.case_follow(case=demo.youth, user=demo.olle)
    services.case_follow(case=demo.public, user=demo.olle)
    last_before = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    update = case_services.action_update_post(
        actor=demo.petra, action=demo.actions.picture, text=UPDATE_TEXT
    )
    case_services.case_update(actor=demo.anna, case=demo.public, data={"priority": "high"})
    # No on-commit hand-off in a test transaction: fan the new events out here.
    for event_id in Event.objects.filter(pk__gt=last_before).values_list("pk", flat=True):
        services.event_fan_out(event_id=event_id)
    assert update is not None


@pytest.fixture
def olle_notified(demo):
    _notify_olle(demo)
    return demo


def _fryshuset_withdraws(demo) -> None:
    fryshuset = demo.youth.participations.get(organisation=demo.orgs.fryshuset)
    case_services.participation_withdraw(actor=demo.olle, participation=fryshuset)


def _secrets(demo) -> list[str]:
    """Everything from the youth case that olle may no longer read."""
    return [
        demo.youth.title,
        demo.youth.reference,
        UPDATE_TEXT,
        demo.actions.picture.title,
        f"/actions/{demo.actions.picture.pk}/",
    ]


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("page", ["inbox", "dashboard"])
def test_web_inbox_and_dashboard_hide_the_case_of_an_old_notification_after_withdrawal(
    olle_notified, page
) -> None:
    demo = olle_notified
    before = _web(demo.olle).get(reverse(page)).content.decode()
    assert demo.youth.title in before and NO_ACCESS not in before

    _fryshuset_withdraws(demo)
    html = _web(demo.olle).get(reverse(page)).content.decode()
    for secret in _secrets(demo):
        assert secret not in html, secret
    assert NO_ACCESS in html
    assert demo.public.title in html  # what olle still sees is shown as before


def test_api_inbox_hides_the_case_of_an_old_notification_after_withdrawal(olle_notified) -> None:
    demo = olle_notified
    client = APIClient()
    client.force_authenticate(demo.olle)
    _fryshuset_withdraws(demo)
    response = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    lines = {line["kind"]: line for line in response.json()["results"]}
    hidden = lines[EventKind.ACTION_UPDATE_POSTED]
    assert hidden["case"] is None and hidden["message"] == NO_ACCESS
    assert hidden["link"] == reverse("inbox")
    for secret in _secrets(demo):
        assert secret not in response.content.decode(), secret
    assert lines[EventKind.CASE_UPDATED]["case"]["title"] == demo.public.title


@pytest.fixture
def olle_wants(demo):
    def choose(mode: str) -> None:
        services.preferences_set(
            user=demo.olle,
            email_modes={EventKind.ACTION_UPDATE_POSTED: mode, EventKind.CASE_UPDATED: mode},
        )

    return choose


def _delivery(demo, channel: str, kind: str) -> Delivery:
    return Delivery.objects.get(channel=channel, recipient=demo.olle, event__kind=kind)


def test_digest_leaves_out_a_case_the_recipient_no_longer_sees(demo, olle_wants) -> None:
    olle_wants(EmailMode.DIGEST)
    _notify_olle(demo)
    _fryshuset_withdraws(demo)
    mail.outbox.clear()

    cutoff = timezone.now() + timedelta(minutes=1)
    assert services.digest_send(user_id=demo.olle.pk, cutoff=cutoff) == "sent"
    (digest,) = [m for m in mail.outbox if m.to == [demo.olle.email]]
    for secret in _secrets(demo):
        assert secret not in digest.body and secret not in digest.alternatives[0][0], secret
    assert demo.public.title in digest.body
    assert _delivery(demo, Channel.DIGEST, EventKind.CASE_UPDATED).state == DeliveryState.SENT
    withheld = _delivery(demo, Channel.DIGEST, EventKind.ACTION_UPDATE_POSTED)
    assert withheld.state == DeliveryState.FAILED and "no longer" in withheld.last_error
    # Nothing is left pending to slip into tomorrow's digest.
    assert services.digest_send(user_id=demo.olle.pk, cutoff=cutoff) == "skipped"


def test_digest_with_only_items_the_recipient_may_no_longer_see_is_not_sent(
    demo, olle_wants
) -> None:
    olle_wants(EmailMode.DIGEST)
    _notify_olle(demo)
    _delivery(demo, Channel.DIGEST, EventKind.CASE_UPDATED).delete()  # only the youth item
    _fryshuset_withdraws(demo)
    mail.outbox.clear()
    cutoff = timezone.now() + timedelta(minutes=1)
    assert services.digest_send(user_id=demo.olle.pk, cutoff=cutoff) == "withheld"
    assert not [m for m in mail.outbox if m.to == [demo.olle.email]]
    withheld = _delivery(demo, Channel.DIGEST, EventKind.ACTION_UPDATE_POSTED)
    assert withheld.state == DeliveryState.FAILED


def test_queued_email_about_a_case_the_recipient_left_is_not_sent(demo, olle_wants) -> None:
    olle_wants(EmailMode.IMMEDIATELY)
    _notify_olle(demo)  # the emails wait in the queue while Fryshuset withdraws
    _fryshuset_withdraws(demo)
    mail.outbox.clear()

    youth = _delivery(demo, Channel.EMAIL, EventKind.ACTION_UPDATE_POSTED)
    public = _delivery(demo, Channel.EMAIL, EventKind.CASE_UPDATED)
    results = services.email_deliveries_send(delivery_ids=[youth.pk, public.pk])
    assert results[public.pk] == "sent" and results[youth.pk] == "withheld"
    sent = [m for m in mail.outbox if m.to == [demo.olle.email]]
    assert len(sent) == 1 and demo.public.reference in sent[0].subject
    for secret in _secrets(demo):
        assert secret not in sent[0].body, secret
    youth.refresh_from_db()
    assert youth.state == DeliveryState.FAILED and "no longer" in youth.last_error


def test_former_participant_patch_writes_no_history_and_creates_no_follow(demo) -> None:
    admin, participation = former_participant(demo, withdrew=True)
    colleague = UserFactory(username="colleague-of-former")
    membership_set(user=colleague, organisation=participation.organisation, role="member")
    client = APIClient()
    client.force_authenticate(admin)
    history = participation.history.count()
    with nothing_written():
        response = client.patch(
            f"/api/v1/participations/{participation.pk}/",
            {"contact_person": colleague.pk, "mandate": "Vi skriver ändå."},
            format="json",
        )
    assert response.status_code == 404
    assert participation.history.count() == history
    assert not CaseFollow.objects.filter(case=demo.youth, user=colleague).exists()


def test_update_service_refuses_a_participation_that_is_no_longer_current(demo) -> None:
    admin, participation = former_participant(demo, withdrew=True)
    with nothing_written(), pytest.raises(PermissionDenied):
        case_services.participation_update(
            actor=admin, participation=participation, data={"mandate": "Bakvägen."}
        )
    with nothing_written(), pytest.raises(ValidationError) as refused:
        case_services.participation_update(
            actor=demo.anna, participation=participation, data={"mandate": "I efterhand."}
        )
    assert "state" in refused.value.message_dict


def test_reinvited_organisation_reads_its_invitation_but_not_the_old_news_of_the_case(
    demo,
) -> None:
    admin, participation = former_participant(demo, withdrew=True)
    old_news = Event.objects.filter(case=demo.youth, kind=EventKind.MEASUREMENT_REPORTED).first()
    Notification.objects.create(event=old_news, recipient=admin)
    case_services.participation_invite(
        actor=demo.anna, case=demo.youth, organisation=participation.organisation, role="observer"
    )
    invited = Event.objects.filter(kind=EventKind.PARTICIPATION_INVITED).latest("pk")
    services.event_fan_out(event_id=invited.pk)

    client = APIClient()
    client.force_authenticate(admin)
    lines = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    by_kind = {line["kind"]: line for line in lines}
    assert by_kind[EventKind.PARTICIPATION_INVITED]["case"]["title"] == demo.youth.title
    assert by_kind[EventKind.MEASUREMENT_REPORTED]["case"] is None
    assert by_kind[EventKind.MEASUREMENT_REPORTED]["message"] == NO_ACCESS
