"""The lists that can be downloaded: one registration per list, each with its columns and rows.

A list's rows come from the same selectors as its page, so an export shows exactly what the
page would show to the same person, with the page's filters. Another app adds its list with
`export_register(ExportList(...))` in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

TEXT, NUMBER, DATE, DATETIME, INTEGER = "text", "number", "date", "datetime", "integer"

# Rows are read from the database this many at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    """One column of an export: its key (stable, for import), its header and its cell type."""

    key: str
    label: str | Promise
    kind: str = TEXT


@dataclass(frozen=True)
class ExportList:
    """A downloadable list.

    `rows(request)` checks access (raising Http404 where the page would) and returns the rows
    as tuples in column order, read lazily; `name(request)` is the file name's stem.
    """

    slug: str
    title: str | Promise
    columns: Sequence[Column]
    rows: Callable[[HttpRequest], Iterable[Sequence[Any]]]
    login_required: bool = True
    name: Callable[[HttpRequest], str] = field(default=lambda request: "")


_REGISTRY: dict[str, ExportList] = {}


def export_register(export: ExportList) -> None:
    _REGISTRY[export.slug] = export


def export_get(slug: str) -> ExportList | None:
    return _REGISTRY.get(slug)


def export_slugs() -> Iterator[str]:
    return iter(_REGISTRY)
