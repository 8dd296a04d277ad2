"""Reads of the webhook channel: who manages which endpoints, which endpoints get an event."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from agencies.selectors import user_admin_organisation_ids
from cases import access
from cases.choices import ParticipationRole
from cases.models import Action

from ..models import Event
from ..registry import registered_webhook_organisations
from .choices import OPEN_STATES
from .models import WebhookDelivery, WebhookEndpoint

AnyUser = access.AnyUser


def endpoint_list_for_user(user: AnyUser) -> QuerySet[WebhookEndpoint]:
    """The endpoints the user manages; nobody else's exist for them."""
    queryset = WebhookEndpoint.objects.select_related("organisation")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(organisation_id__in=user_admin_organisation_ids(user))


def endpoint_get_for_user(user: AnyUser, endpoint_id: int) -> WebhookEndpoint:
    endpoint = endpoint_list_for_user(user).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def delivery_list_for_user(user: AnyUser) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(endpoint__in=endpoint_list_for_user(user))
        .select_related("event", "event__case", "endpoint")
        .prefetch_related("attempt_log")
    )


def delivery_get_for_user(user: AnyUser, delivery_id: int) -> WebhookDelivery:
    delivery = delivery_list_for_user(user).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    return delivery


def deliveries_due(now: datetime) -> QuerySet[WebhookDelivery]:
    """Open deliveries whose next attempt is due and that no sender holds."""
    return WebhookDelivery.objects.filter(state__in=OPEN_STATES, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def deliveries_to_queue(now: datetime, grace: timedelta) -> QuerySet[WebhookDelivery]:
    """Due deliveries with no send task queued, or whose queued task is overdue (lost)."""
    return deliveries_due(now).filter(Q(queued_for__isnull=True) | Q(queued_for__lt=now - grace))


def organisations_concerned(event: Event) -> set[int]:
    """Active participants of the event's case; for an action, its lead and contributors plus the
    case's lead organisation. Only participants: restricted-case data never leaves the case.
    An event without a case (a meeting's agenda) goes to the organisations its app names."""
    if event.case is None:
        return registered_webhook_organisations(event)
    participants = access.active_participant_ids(event.case)
    if event.object_type != "action":
        return set(participants)
    action = Action.objects.prefetch_related("contributors").filter(pk=event.object_id).first()
    if action is None:
        return set(participants)
    case_leads = {org for org, role in participants.items() if role == ParticipationRole.LEAD}
    return set(participants) & (access.action_organisation_ids(action) | case_leads)


def endpoint_may_receive(endpoint: WebhookEndpoint, event: Event) -> bool:
    """May the endpoint's organisation still be sent this event? Asked at send time (first try,
    retry, replay): an organisation that has left a restricted case gets nothing more of it."""
    return event.case is None or access.organisation_can_view_case(
        endpoint.organisation_id, event.case
    )


def endpoints_for_event(event: Event) -> list[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.filter(
        organisation_id__in=organisations_concerned(event), is_active=True
    ).order_by("pk")
    return [endpoint for endpoint in endpoints if endpoint.wants(event.kind)]
