"""Writes of the webhook channel: endpoints managed by organisation admins, one delivery per event
and endpoint, replays. Sending itself lives in `sending.py`."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Organisation
from cases import access

from ..models import Event
from ..services.events import broker_publish
from . import addresses, selectors
from .choices import OPEN_STATES, DeliveryState
from .models import WebhookDelivery, WebhookEndpoint, http_url_validator
from .signing import secret_generate

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = ("url", "description", "event_kinds", "is_active")


def _require_manager(actor: AbstractBaseUser, organisation_id: int) -> None:
    if not access.can_manage_webhooks(actor, organisation_id):
        raise PermissionDenied(_("Only the organisation's admins manage its webhooks."))


def validate_destination(url: str) -> None:
    """Refuse a URL whose host is (or resolves to) a loopback, private or special-purpose address,
    unless WEBHOOK_ALLOW_PRIVATE_NETWORKS. Checked when the URL is set, so the admin hears of it
    at once; the sender checks again at every attempt, since DNS answers change."""
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        addresses.checked_addresses(parts.hostname or "", port, allow_private=False)
    except addresses.HostUnresolved as error:
        # Refused rather than accepted with a warning: a name that does not resolve is most
        # often a typo, and an endpoint that cannot receive anything helps nobody.
        raise ValidationError(_("The host name could not be found.")) from error
    except (addresses.AddressRefused, ValueError) as error:
        raise ValidationError(
            _(
                "Webhooks are sent only to public internet addresses; this host is on a "
                "loopback, private or special-purpose network."
            )
        ) from error


def _validate_url_field(url: str) -> None:
    try:
        validate_destination(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from error


def _validate_new_url(url: str) -> None:
    try:
        http_url_validator(url)
    except ValidationError:
        return  # not a web URL at all: full_clean says so, by the field
    _validate_url_field(url)


def _normalised_kinds(kinds: Any) -> Any:
    # Anything but a list of strings is left as it is, for the model validator to refuse.
    if isinstance(kinds, list) and all(isinstance(kind, str) for kind in kinds):
        return sorted(set(kinds))
    return kinds


@transaction.atomic
def webhook_endpoint_create(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    url: str,
    event_kinds: list[str] | None = None,
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret; the caller shows the secret once."""
    _require_manager(actor, organisation.pk)
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=(url or "").strip(),
        description=description,
        event_kinds=_normalised_kinds(event_kinds or []),
        is_active=is_active,
        secret=secret_generate(),
        created_by=actor,
    )
    endpoint.full_clean()
    _validate_url_field(endpoint.url)
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_update(
    *, actor: AbstractBaseUser, endpoint: WebhookEndpoint, data: dict[str, Any]
) -> WebhookEndpoint:
    """Change URL, description, kinds or active; re-activating forgets why it was disabled."""
    _require_manager(actor, endpoint.organisation_id)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    new_url = (data.get("url") or "").strip()
    if "url" in data and new_url != endpoint.url:
        # Resolved before the row is locked: a slow name server must not hold the lock.
        _validate_new_url(new_url)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    for name, value in data.items():
        if name == "url":
            value = (value or "").strip()
        if name == "event_kinds":
            value = _normalised_kinds(value)
        setattr(endpoint, name, value)
    if data.get("is_active"):
        endpoint.disabled_reason = ""
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, actor: AbstractBaseUser, endpoint: WebhookEndpoint
) -> WebhookEndpoint:
    """A new secret at once; the old one stops signing (receivers must switch to the new one)."""
    _require_manager(actor, endpoint.organisation_id)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.secret = secret_generate()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, actor: AbstractBaseUser, endpoint: WebhookEndpoint) -> None:
    _require_manager(actor, endpoint.organisation_id)
    endpoint.delete()


def webhook_endpoint_disable(*, endpoint_id: int, reason: str) -> None:
    """Called inside the sender's transaction when a receiver asks us to stop (410 Gone)."""
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        is_active=False, disabled_reason=reason[:200], updated_at=timezone.now()
    )


def webhook_deliveries_for_event(event_id: int) -> list[int]:
    """Create one delivery per matching active endpoint of the organisations concerned, and queue
    the sends. Safe to call twice for the same event (unique delivery per event and endpoint):
    only deliveries created by this call are queued; the due-sweep covers a lost hand-off."""
    event = Event.objects.select_related("case").filter(pk=event_id).first()
    if event is None:
        return []
    created: list[int] = []
    with transaction.atomic():
        for endpoint in selectors.endpoints_for_event(event):
            delivery, is_new = WebhookDelivery.objects.get_or_create(
                event=event,
                endpoint=endpoint,
                defaults={"next_attempt_at": timezone.now(), "queued_for": timezone.now()},
            )
            if is_new:
                created.append(delivery.pk)
        transaction.on_commit(lambda: [webhook_delivery_hand_off(pk) for pk in created])
    return created


@transaction.atomic
def webhook_delivery_replay(
    *, actor: AbstractBaseUser, delivery: WebhookDelivery
) -> WebhookDelivery:
    """Reopen a dead delivery with a fresh retry budget and send it again."""
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint", "event__case")
        .get(pk=delivery.pk)
    )
    _require_manager(actor, delivery.endpoint.organisation_id)
    if delivery.state != DeliveryState.DEAD:
        raise ValidationError({"state": _("Only a dead delivery can be replayed.")})
    if not delivery.endpoint.is_active:
        raise ValidationError(
            {"endpoint": _("Activate the endpoint before replaying its deliveries.")}
        )
    # 400 rather than 404: the delivery is the asker's own (it is in their list); the answer says
    # why without a word of the case, which their organisation may no longer see.
    if not selectors.endpoint_may_receive(delivery.endpoint, delivery.event):
        raise ValidationError(
            {
                "event": _(
                    "The organisation no longer takes part in the case: "
                    "this delivery cannot be replayed."
                )
            }
        )
    delivery.state = DeliveryState.PENDING
    delivery.attempts_before_replay = delivery.attempts
    delivery.next_attempt_at = delivery.queued_for = timezone.now()
    delivery.claimed_until = None
    delivery.save()
    transaction.on_commit(lambda: webhook_delivery_hand_off(delivery.pk))
    return delivery


def webhook_delivery_hand_off(delivery_id: int, *, eta: datetime | None = None) -> None:
    """Queue a send. Without a broker (tasks in-process) nothing is sent here, inside the user's
    request: the delivery waits for the in-process schedule's due-sweep, a few seconds away.
    A failed publish is harmless too: the delivery is marked as not queued, so the due-sweep
    sends it at its normal time (now, or its retry time), not a requeue grace later."""
    from .tasks import webhook_delivery_send

    if current_app.conf.task_always_eager:
        _not_queued(delivery_id)
        return
    if not broker_publish(webhook_delivery_send.apply_async, args=[delivery_id], eta=eta):
        _not_queued(delivery_id)
        logger.warning("Could not queue webhook delivery %s; the due-sweep sends it", delivery_id)


def _not_queued(delivery_id: int) -> None:
    """No send task waits for this delivery: the next due-sweep after its time queues it."""
    WebhookDelivery.objects.filter(pk=delivery_id, state__in=OPEN_STATES).update(queued_for=None)
