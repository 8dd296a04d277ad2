"""History: one record per change, written by the services, read as a case's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.formats import date_format

from .formatting import format_figure
from .models import HISTORY_TRACKERS, Action, Case, Measurement, Outcome, Participation


def save_with_history(
    instance: models.Model,
    *,
    actor: AbstractBaseUser | None,
    created: bool = False,
    m2m: dict[str, Iterable[Any]] | None = None,
    reason: str = "",
) -> None:
    """Save `instance` and its many-to-many values, then write exactly one history record.

    simple-history would write one record for the save and one more per many-to-many change;
    a reader of the timeline wants one entry per change, with the values after it.
    """
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason or None  # type: ignore[attr-defined]
    HISTORY_TRACKERS[type(instance)].create_historical_record(instance, "+" if created else "~")


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class TimelineEntry:
    when: datetime
    who: AbstractBaseUser | None
    object_type: str
    object_id: int
    object_label: str
    change_type: str  # "created", "changed" or "deleted"
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    value_kind: str = ""  # how the entry's numbers read (an outcome's or its values' kind)
    summary: str = ""  # one line for the reader, e.g. "corrected 88 → 86 (reason)"


CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
IGNORED_FIELDS = {"id", "version", "updated_at", "created_at", "created_by", "completed_at"}


def _m2m_snapshots(model: type[models.Model], records: list[Any], names: list[str]) -> dict:
    """{(history_id, field): sorted ids} for the records, one query per many-to-many field."""
    snapshots: dict[tuple[int, str], list[int]] = {}
    history_ids = [record.history_id for record in records]
    for name in names:
        m2m_model = getattr(model.history.model, name).model
        far_side = [f for f in m2m_model._meta.fields if f.is_relation and f.name != "history"][-1]
        rows = m2m_model.objects.filter(history_id__in=history_ids)
        for history_id, value in rows.values_list("history_id", far_side.attname):
            snapshots.setdefault((history_id, name), []).append(value)
    return {key: sorted(values) for key, values in snapshots.items()}


def _diff(
    model: type[models.Model], previous: Any, record: Any, m2m: list[str], snapshots: dict
) -> list:
    changes = []
    for model_field in model._meta.concrete_fields:
        name = model_field.attname
        if model_field.name in IGNORED_FIELDS:
            continue
        old = getattr(previous, name) if previous is not None else None
        new = getattr(record, name)
        if old != new and not (previous is None and new in (None, "")):
            label = str(model_field.verbose_name)
            changes.append(FieldChange(model_field.name, label, old, new))
    for name in m2m:
        new = snapshots.get((record.history_id, name), [])
        old = snapshots.get((previous.history_id, name), []) if previous is not None else []
        if old != new:
            label = str(model._meta.get_field(name).verbose_name)
            changes.append(FieldChange(name, label, old, new))
    return changes


def _entries_for(model: type[models.Model], records: Iterable[Any]) -> list[TimelineEntry]:
    m2m = [f if isinstance(f, str) else f.name for f in HISTORY_TRACKERS[model].m2m_fields]
    records = list(records)
    snapshots = _m2m_snapshots(model, records, m2m)
    entries: list[TimelineEntry] = []
    previous_by_object: dict[int, Any] = {}
    for record in records:
        previous = previous_by_object.get(record.id)
        entries.append(
            TimelineEntry(
                when=record.history_date,
                who=record.history_user,
                object_type=model._meta.model_name,
                object_id=record.id,
                object_label=_label(model, record),
                change_type=CHANGE_TYPES[record.history_type],
                reason=record.history_change_reason or "",
                changes=_diff(model, previous, record, m2m, snapshots),
                value_kind=_value_kind(model, record),
            )
        )
        previous_by_object[record.id] = record
    return entries


def case_history_querysets(case: Case) -> dict[type[models.Model], models.QuerySet]:
    """The historical records that make up a case's timeline, oldest first per model."""
    outcome_ids = Outcome.objects.filter(case=case).values("pk")
    plan: dict[type[models.Model], tuple[dict[str, Any], list[str]]] = {
        Case: ({"id": case.pk}, []),
        Participation: ({"case_id": case.pk}, ["organisation"]),
        Action: ({"case_id": case.pk}, []),
        Outcome: ({"case_id": case.pk}, []),
        Measurement: ({"outcome_id__in": outcome_ids}, ["outcome", "organisation"]),
    }
    return {
        model: model.history.filter(**lookup)
        .select_related("history_user", *related)
        .order_by("history_date", "history_id")
        for model, (lookup, related) in plan.items()
    }


def _value_kind(model: type[models.Model], record: Any) -> str:
    if model is Outcome:
        return record.value_kind
    if model is Measurement:
        return record.outcome.value_kind
    return ""


def _label(model: type[models.Model], record: Any) -> str:
    if model is Case:
        return f"{record.reference} {record.title}"
    if model is Participation:
        return record.organisation.name
    if model is Measurement:
        value = format_figure(record.value, record.outcome)
        return f"{record.outcome.title}: {value} ({date_format(record.measured_on)})"
    return record.title


def case_timeline(case: Case, *, limit: int | None = None) -> list[TimelineEntry]:
    """Every recorded change to the case and what belongs to it, newest first (8 queries)."""
    entries: list[TimelineEntry] = []
    for model, queryset in case_history_querysets(case).items():
        entries.extend(_entries_for(model, queryset))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries
