"""The case timeline in words: choice labels instead of codes, names instead of ids."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Organisation
from privacy.people import role_label, sees_names

from .. import selectors
from ..choices import ValueKind
from ..formatting import format_value
from ..history import (
    TIMELINE_KINDS,
    TIMELINE_SOURCES,
    TimelineCursor,
    TimelineEntry,
    case_timeline_page,
)
from ..models import Action, Case, Measurement, Outcome, Participation, Theme

MODELS: dict[str, type[models.Model]] = {
    model._meta.model_name: model for model in (Case, Participation, Action, Outcome, Measurement)
}

# The filter's words for the kinds of entry (plural: "show the changes to …").
KIND_LABELS = {
    "case": gettext_lazy("The case itself"),
    "participation": gettext_lazy("Participants"),
    "action": gettext_lazy("Actions"),
    "outcome": gettext_lazy("Outcomes"),
    "measurement": gettext_lazy("Measurements"),
}


def kind_label(kind: str) -> Any:
    """The filter's word for a kind of entry, the cases' own or another app's."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    source = next(s for m, s in TIMELINE_SOURCES.items() if m._meta.model_name == kind)
    return source.kind_label


def _field(entry: TimelineEntry, name: str) -> models.Field | None:
    model = MODELS.get(entry.object_type)
    try:
        return model._meta.get_field(name) if model else None
    except Exception:  # a field removed since the record was written
        return None


def _ids(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _names(
    entries: list[TimelineEntry], known: list[models.Model]
) -> dict[type[models.Model], dict[Any, str]]:
    """Names of the related objects the changes mention.

    Users, organisations, themes, actions and outcomes are fetched with exactly one query each,
    whatever the entries hold, so the page makes the same number of queries however long and
    varied its timeline is; `known` objects give their names as they are on the page.
    """
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        for change in entry.changes:
            field = _field(entry, change.field)
            if field is not None and field.is_relation:
                wanted[field.related_model].update(_ids(change.old) + _ids(change.new))
    names: dict[type[models.Model], dict[Any, str]] = defaultdict(dict)
    for obj in known:
        names[type(obj)][obj.pk] = _display(obj)
    # Actions and outcomes named by a change (a dependency, a value's outcome) that the page
    # does not hold are fetched too: the page holds only the first rows of each section.
    for model in (get_user_model(), Organisation, Theme, Action, Outcome):
        ids = wanted.get(model, set()) | {0}  # never empty: the query always runs
        names[model].update(
            {obj.pk: _display(obj) for obj in model._default_manager.filter(pk__in=ids)}
        )
    return names


def _display(obj: models.Model) -> str:
    full_name = getattr(obj, "get_full_name", None)
    if callable(full_name):
        return full_name() or obj.get_username()
    return str(getattr(obj, "display_name", obj))


def _readable(field: models.Field | None, value: Any, names: dict) -> Any:
    if field is None or value in (None, "", []):
        return value
    if field.is_relation:
        lookup = names.get(field.related_model, {})
        return ", ".join(lookup.get(pk, str(pk)) for pk in _ids(value))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime):  # "1 Dec 2026 21:18", not an ISO timestamp with offset
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value)
    return value


def _number(field: models.Field | None, value: Any, kind: str) -> Any:
    """Decimal values read as numbers do in the active language ("85,5 %", "60")."""
    if isinstance(field, models.DecimalField) and value not in (None, ""):
        return format_value(value, kind or ValueKind.AMOUNT)
    return value


def _correction_summary(entry: TimelineEntry) -> str:
    """ "corrected 88 → 86 (reason)" for a measurement whose value was corrected."""
    value = next((c for c in entry.changes if c.field == "value"), None)
    if entry.object_type != "measurement" or entry.change_type != "changed" or value is None:
        return ""
    return _("corrected %(old)s → %(new)s (%(reason)s)") % {
        "old": value.old,
        "new": value.new,
        "reason": entry.reason or "–",
    }


def readable_timeline(
    entries: list[TimelineEntry], *, known: list[models.Model], viewer: Any = None
) -> list[TimelineEntry]:
    names = _names(entries, known)
    case = next((obj for obj in known if isinstance(obj, Case)), None)
    if not sees_names(viewer, case):
        # A coordinator or assignee changed from one person to another: outsiders read roles.
        users = names[get_user_model()]
        names[get_user_model()] = {pk: role_label(pk, case=case) for pk in users}
    for entry in entries:
        for change in entry.changes:
            field = _field(entry, change.field)
            change.old = _number(field, _readable(field, change.old, names), entry.value_kind)
            change.new = _number(field, _readable(field, change.new, names), entry.value_kind)
        entry.summary = _correction_summary(entry)
    return entries


TIMELINE_PAGE_ROWS = 25


def case_timeline_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The whole timeline of a case, newest first, a page at a time, filtered by kind of entry.

    "Older entries" carries a cursor (time, kind, record) rather than a page number, so a page
    stays the same while new changes are recorded and every page is read through the index.
    """
    case = selectors.case_get_for_user(request.user, reference=reference)
    chosen = [kind for kind in request.GET.getlist("kind") if kind in TIMELINE_KINDS]
    before = TimelineCursor.decode(request.GET.get("before"))
    page = case_timeline_page(
        case, size=TIMELINE_PAGE_ROWS, kinds=chosen or TIMELINE_KINDS, before=before
    )
    kind_params = [("kind", kind) for kind in chosen]
    older_query = ""
    if page.older is not None:
        older_query = urlencode([*kind_params, ("before", page.older.encode())])
    context = {
        "case": case,
        "timeline": readable_timeline(page.entries, known=[case], viewer=request.user),
        "kinds": [(kind, kind_label(kind), kind in chosen) for kind in TIMELINE_KINDS],
        "filtered": bool(chosen),
        "is_first_page": before is None,
        "first_query": urlencode(kind_params),
        "older_query": older_query,
    }
    return render(request, "cases/case_timeline.html", context)
