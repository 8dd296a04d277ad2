"""History: one record per change, written by the services, read as a case's timeline."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    history_id: int = 0  # the record's id: with `when` and the kind, a place in the timeline


CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
IGNORED_FIELDS = {"id", "version", "updated_at", "created_at", "created_by", "completed_at"}


def _m2m_snapshots(model: type[models.Model], records: list[Any], names: list[str]) -> dict:
    """{(history_id, field): sorted ids} for the records, one query per many-to-many field."""
    snapshots: dict[tuple[int, str], list[int]] = {}
    history_ids = [record.history_id for record in records] or [0]  # the query always runs
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


def _entry(
    model: type[models.Model], record: Any, previous: Any, m2m: list[str], snapshots: Any
) -> TimelineEntry:
    """One history record as a timeline entry, with what changed since `previous`."""
    return TimelineEntry(
        when=record.history_date,
        who=record.history_user,
        object_type=model._meta.model_name,
        object_id=record.id,
        object_label=_label(model, record),
        change_type=CHANGE_TYPES[record.history_type],
        reason=record.history_change_reason or "",
        changes=_diff(model, previous, record, m2m, snapshots),
        value_kind=_value_kind(model, record),
        history_id=record.history_id,
    )


def _entries_for(model: type[models.Model], records: Iterable[Any]) -> list[TimelineEntry]:
    m2m = [f if isinstance(f, str) else f.name for f in HISTORY_TRACKERS[model].m2m_fields]
    records = list(records)
    snapshots = _m2m_snapshots(model, records, m2m)
    entries: list[TimelineEntry] = []
    previous_by_object: dict[int, Any] = {}
    for record in records:
        previous = previous_by_object.get(record.id)
        entries.append(_entry(model, record, previous, m2m, snapshots))
        previous_by_object[record.id] = record
    return entries


# Other apps' records in a case's timeline (documents' attachments): model -> the lookup of its
# history rows for a case and what to select with them. Each model is in HISTORY_TRACKERS too, and
# its kind (model name) in TIMELINE_KINDS.
TIMELINE_SOURCES: dict[type[models.Model], Callable[[Case], tuple[dict[str, Any], list[str]]]] = {}


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
    plan.update({model: source(case) for model, source in TIMELINE_SOURCES.items()})
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


# Paged timeline: each history table is read newest first through its (owner, history_date,
# history_id) index, at most one page (plus one, to know whether there is more) per table; the
# tables' pages are merged in Python, so no page reads more than a few dozen rows however long
# the case's history is.

TIMELINE_KINDS: tuple[str, ...] = (
    "case",
    "participation",
    "action",
    "outcome",
    "measurement",
    "attachment",  # documents/timeline.py
)


@dataclass(frozen=True)
class TimelineCursor:
    """Where a page of the timeline ended: entries strictly older than this come next.

    Entries are ordered by (time, kind, history id), newest first, which is a total order even
    when two changes share a timestamp.
    """

    when: datetime
    kind: str
    history_id: int

    @property
    def rank(self) -> int:
        return TIMELINE_KINDS.index(self.kind)

    def encode(self) -> str:
        return f"{self.when.isoformat()}~{self.kind}~{self.history_id}"

    @classmethod
    def decode(cls, value: str | None) -> TimelineCursor | None:
        """The cursor in a link, or None for a missing or garbled one (the first page)."""
        try:
            when, kind, history_id = (value or "").split("~")
            parsed = datetime.fromisoformat(when)
            if kind not in TIMELINE_KINDS or parsed.tzinfo is None:
                return None
            return cls(parsed, kind, int(history_id))
        except ValueError:
            return None


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    older: TimelineCursor | None  # None on the last page


def _older_than(cursor: TimelineCursor | None, rank: int) -> models.Q:
    """The records of the table of kind `rank` that come after `cursor` newest first."""
    if cursor is None:
        return models.Q()
    if rank < cursor.rank:
        return models.Q(history_date__lte=cursor.when)
    if rank > cursor.rank:
        return models.Q(history_date__lt=cursor.when)
    return models.Q(history_date__lt=cursor.when) | models.Q(
        history_date=cursor.when, history_id__lt=cursor.history_id
    )


def _previous_record_id(model: type[models.Model]) -> models.Subquery:
    """The history id of the same object's record just before this one (None for the first)."""
    outer = models.OuterRef
    earlier = models.Q(history_date__lt=outer("history_date")) | models.Q(
        history_date=outer("history_date"), history_id__lt=outer("history_id")
    )
    return models.Subquery(
        model.history.filter(earlier, id=outer("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def _page_entries(model: type[models.Model], records: list[Any]) -> list[TimelineEntry]:
    """Entries for the records, each compared with its object's previous record (2 queries,
    plus one per many-to-many field; always run, so a page's query count is fixed)."""
    m2m = [f if isinstance(f, str) else f.name for f in HISTORY_TRACKERS[model].m2m_fields]
    previous_ids = {r.previous_history_id for r in records if r.previous_history_id} | {0}
    previous = {r.history_id: r for r in model.history.filter(history_id__in=previous_ids)}
    snapshots = _m2m_snapshots(model, [*records, *previous.values()], m2m)
    return [
        _entry(model, record, previous.get(record.previous_history_id), m2m, snapshots)
        for record in records
    ]


def case_timeline_page(
    case: Case,
    *,
    size: int,
    kinds: Iterable[str] = TIMELINE_KINDS,
    before: TimelineCursor | None = None,
) -> TimelinePage:
    """One page of the case's timeline, newest first, of the given kinds of entry, older than
    `before`; a fixed number of queries (at most 4 per kind) whatever the case's history."""
    wanted = [kind for kind in TIMELINE_KINDS if kind in set(kinds)] or list(TIMELINE_KINDS)
    candidates: list[tuple[type[models.Model], Any]] = []
    for model, queryset in case_history_querysets(case).items():
        kind = model._meta.model_name
        if kind not in wanted:
            continue
        rank = TIMELINE_KINDS.index(kind)
        rows = (
            queryset.filter(_older_than(before, rank))
            .annotate(previous_history_id=_previous_record_id(model))
            .order_by("-history_date", "-history_id")[: size + 1]
        )
        candidates.extend((model, record) for record in rows)

    def key(item: tuple[type[models.Model], Any]) -> tuple:
        model, record = item
        return (
            record.history_date,
            TIMELINE_KINDS.index(model._meta.model_name),
            record.history_id,
        )

    candidates.sort(key=key, reverse=True)
    shown = candidates[:size]
    entries: list[TimelineEntry] = []
    for model in HISTORY_TRACKERS:
        if model._meta.model_name in wanted:
            entries.extend(_page_entries(model, [r for m, r in shown if m is model]))
    entries.sort(
        key=lambda e: (e.when, TIMELINE_KINDS.index(e.object_type), e.history_id), reverse=True
    )
    older = None
    if len(candidates) > size and entries:
        last = entries[-1]
        older = TimelineCursor(last.when, last.object_type, last.history_id)
    return TimelinePage(entries=entries, older=older)
