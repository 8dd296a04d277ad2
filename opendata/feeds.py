"""The Atom feed of changes to public cases, read from the events the pipeline records.

An entry says what changed in which case, never who changed it or why: an event's actor and
its reasons (which may name people) stay out, and only the payload's titles, figures and
statuses are read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import ActionStatus, CaseStatus
from notifications.choices import EventKind
from notifications.models import Event

from .schema import LICENSE_URL
from .selectors import public_changes


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _status_change(choices: Any, payload: dict[str, Any]) -> str:
    return f"{_label(choices, payload.get('from'))} → {_label(choices, payload.get('to'))}"


def _figure(payload: dict[str, Any]) -> str:
    return _("%(outcome)s: %(value)s %(unit)s (%(day)s)") % {
        "outcome": payload.get("outcome_title", ""),
        "value": payload.get("value", ""),
        "unit": payload.get("unit", ""),
        "day": payload.get("measured_on", ""),
    }


def change_description(event: Event) -> str:
    """What changed, from the payload's titles, figures and statuses only."""
    payload = event.payload or {}
    kind = event.kind
    if kind == EventKind.CASE_STATUS_CHANGED:
        return _status_change(CaseStatus, payload)
    if kind == EventKind.ACTION_STATUS_CHANGED:
        return f"{payload.get('title', '')}: {_status_change(ActionStatus, payload)}"
    if kind in (EventKind.MEASUREMENT_APPROVED, EventKind.MEASUREMENT_CORRECTED):
        return _figure(payload)
    if kind.startswith("participation."):
        return str(payload.get("organisation_name", ""))
    if kind.startswith("outcome."):
        return str(payload.get("outcome_title", ""))
    if kind.startswith("action."):
        return str(payload.get("title", ""))
    return event.case.title if event.case else ""


class PublicChangesFeed(Feed):
    """The newest changes to public cases, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Changes to public cases – Samverkan")
    subtitle = gettext_lazy("What changed in the committee's public cases.")
    feed_copyright = f"CC0 1.0 {LICENSE_URL}"

    def author_name(self) -> str:
        # The publishing organisation: Atom asks for an author, and no person is named.
        return settings.OPENDATA_PUBLISHER_NAME

    def link(self) -> str:
        return reverse("opendata_index")

    def feed_url(self) -> str:
        return reverse("opendata_feed")

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        return None

    def items(self) -> list[Event]:
        return list(public_changes())

    def item_title(self, item: Event) -> str:
        return f"{item.case.reference} {item.case.title}: {_label(EventKind, item.kind)}"

    def item_description(self, item: Event) -> str:
        return change_description(item)

    def item_link(self, item: Event) -> str:
        return reverse("case_detail", kwargs={"reference": item.case.reference})

    def item_guid(self, item: Event) -> str:
        # A tag URI (RFC 4151): the same entry keeps its id whichever address it was read at.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},2026:change-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> datetime:
        return item.created_at
