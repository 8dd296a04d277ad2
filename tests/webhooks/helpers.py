from __future__ import annotations

from types import SimpleNamespace

from cases import services as case_services
from notifications.choices import EventKind
from notifications.models import Event
from notifications.webhooks.services import webhook_deliveries_for_event


def post_update_and_fan_out(demo: SimpleNamespace, *, action: object = None) -> Event:
    """Sara reports progress on an action (a real service call writes the event), then the
    webhook fan-out runs for that event, as the notification pipeline does after commit."""
    action = action or demo.actions.talks
    case_services.action_update_post(actor=demo.sara, action=action, text="Skolorna är valda.")
    event = Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).order_by("-pk").first()
    webhook_deliveries_for_event(event.pk)
    return event


def post_update(demo: SimpleNamespace, *, action: object = None) -> Event:
    """The same change, with the fan-out left to the pipeline after commit (a worker test's
    worker runs it; calling it here as well would race the worker for the same event)."""
    action = action or demo.actions.talks
    case_services.action_update_post(actor=demo.sara, action=action, text="Skolorna är valda.")
    return Event.objects.filter(kind=EventKind.ACTION_UPDATE_POSTED).order_by("-pk").first()
