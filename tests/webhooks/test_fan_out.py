"""Which endpoints get an event: the organisations concerned, their kinds, never twice."""

from __future__ import annotations

from cases import services as case_services
from cases.models import Action
from notifications.choices import EventKind
from notifications.models import Event
from notifications.webhooks.models import WebhookDelivery
from notifications.webhooks.services import webhook_deliveries_for_event

from .helpers import post_update_and_fan_out

URL = "http://127.0.0.1:9/unused"


def _receivers(event: Event) -> set[str]:
    deliveries = WebhookDelivery.objects.filter(event=event)
    deliveries = deliveries.select_related("endpoint__organisation")
    return {d.endpoint.organisation.name for d in deliveries}


def test_action_update_reaches_the_actions_organisations_not_observers_or_outsiders(
    demo, make_endpoint
) -> None:
    for org in (demo.orgs.sodertalje, demo.orgs.police, demo.orgs.fryshuset, demo.orgs.kiruna):
        make_endpoint(org, URL)
    event = post_update_and_fan_out(demo)
    assert _receivers(event) == {demo.orgs.sodertalje.name, demo.orgs.police.name}


def test_case_level_event_reaches_every_active_participant(demo, make_endpoint) -> None:
    for org in (demo.orgs.sodertalje, demo.orgs.fryshuset, demo.orgs.kiruna):
        make_endpoint(org, URL)
    case_services.case_transition(
        actor=demo.carl, case=demo.youth, to_status="on_hold", reason="Sommaruppehåll."
    )
    event = Event.objects.filter(kind=EventKind.CASE_STATUS_CHANGED).order_by("-pk").first()
    webhook_deliveries_for_event(event.pk)
    assert _receivers(event) == {demo.orgs.sodertalje.name, demo.orgs.fryshuset.name}


def test_restricted_case_events_go_only_to_organisations_taking_part(demo, make_endpoint) -> None:
    make_endpoint(demo.orgs.sodertalje, URL)
    make_endpoint(demo.orgs.region_skane, URL)
    care_action = Action.objects.filter(case=demo.care, lead_organisation=demo.orgs.region_skane)
    case_services.action_update_post(
        actor=demo.anna, action=care_action.first(), text="Kön kortas."
    )
    event = Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).order_by("-pk").first()
    webhook_deliveries_for_event(event.pk)
    assert _receivers(event) == {demo.orgs.region_skane.name}


def test_endpoint_gets_only_the_kinds_it_asked_for(demo, make_endpoint) -> None:
    make_endpoint(demo.orgs.sodertalje, URL, kinds=[EventKind.CASE_STATUS_CHANGED])
    everything = make_endpoint(demo.orgs.police, URL)
    event = post_update_and_fan_out(demo)
    assert list(WebhookDelivery.objects.filter(event=event).values_list("endpoint", flat=True)) == [
        everything.pk
    ]


def test_inactive_endpoints_get_nothing(demo, make_endpoint) -> None:
    endpoint = make_endpoint(demo.orgs.sodertalje, URL)
    endpoint.is_active = False
    endpoint.save()
    event = post_update_and_fan_out(demo)
    assert not WebhookDelivery.objects.filter(event=event).exists()


def test_fanning_out_the_same_event_twice_makes_one_delivery_per_endpoint(
    demo, make_endpoint
) -> None:
    make_endpoint(demo.orgs.sodertalje, URL)
    make_endpoint(demo.orgs.police, URL)
    event = post_update_and_fan_out(demo)
    assert webhook_deliveries_for_event(event.pk) == []
    assert WebhookDelivery.objects.filter(event=event).count() == 2
