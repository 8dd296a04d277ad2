"""Open data at /data/: a page that explains it, the datasets as CSV and JSON, their JSON
Schemas and the DCAT-AP-SE catalogue. No sign-in, and the same answer for everyone.

Kept outside /api/v1/: the API answers who asks (sessions, tokens, throttles, no caching), while
open data is one public document per address that a harvester or a spreadsheet reads as is.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .catalog import catalog_document
from .datasets import DATASETS, Dataset
from .schema import LICENSE_URL, PAGE_SIZE, page_schema

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)

CSV_CHUNK = 1000
MAX_KEY = 2**63 - 1
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _dataset(slug: str) -> Dataset:
    try:
        return DATASETS[slug]
    except KeyError:
        raise Http404 from None


def _absolute(request: HttpRequest) -> Callable[[str], str]:
    return request.build_absolute_uri


def _open(response: ResponseT) -> ResponseT:
    # Open data: any web page may read it (no credentials are involved).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(
    document: dict[str, Any], content_type: str = "application/json", **kwargs: Any
) -> HttpResponse:
    return _open(
        JsonResponse(
            document,
            content_type=f"{content_type}; charset=utf-8",
            json_dumps_params={"ensure_ascii": False},
            **kwargs,
        )
    )


@require_safe
def opendata_index(request: HttpRequest) -> HttpResponse:
    links = [
        {
            "dataset": dataset,
            "csv": reverse("opendata_csv", kwargs={"dataset": slug}),
            "json": reverse("opendata_json", kwargs={"dataset": slug}),
            "schema": reverse("opendata_schema", kwargs={"dataset": slug}),
        }
        for slug, dataset in DATASETS.items()
    ]
    context = {"links": links, "license_url": LICENSE_URL, "page_size": PAGE_SIZE}
    return render(request, "opendata/index.html", context)


def _after(request: HttpRequest, dataset: Dataset) -> tuple[int, ...] | None:
    """The key a page starts after, as the previous page's `next` link gave it: whole numbers
    joined by "-" (one for cases, case id and id for the rest); None when it is not one."""
    value = request.GET.get("after")
    if value is None:
        return dataset.start
    parts = value.split("-")
    if len(parts) != len(dataset.start) or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    key = tuple(int(part) for part in parts)
    return key if max(key) <= MAX_KEY else None


def _token(key: tuple[int, ...]) -> str:
    return "-".join(str(part) for part in key)


@require_safe
def opendata_json(request: HttpRequest, dataset: str) -> HttpResponse:
    """One page of a dataset, in key order, with a link to the next page."""
    described = _dataset(dataset)
    after = _after(request, described)
    if after is None:
        message = _("Give the key to start after as the previous page's next link gives it.")
        return _json({"after": [message]}, status=400)
    absolute = _absolute(request)
    rows = list(described.page(after, PAGE_SIZE + 1))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    url = reverse("opendata_json", kwargs={"dataset": dataset})
    next_url = absolute(f"{url}?after={_token(described.key(rows[-1]))}") if more else None
    response = _json(
        {
            "dataset": described.slug,
            "license": LICENSE_URL,
            "schema": absolute(reverse("opendata_schema", kwargs={"dataset": dataset})),
            "next": next_url,
            "results": [described.row(obj, absolute) for obj in rows],
        }
    )
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any, free_text: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(value)
    text = str(value)
    if free_text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_lines(dataset: Dataset, absolute: Callable[[str], str]) -> Iterator[str]:
    """1. The header. 2. Rows a chunk at a time, each chunk read after the last key."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(dataset.column_names())
    after = dataset.start
    while True:
        chunk = list(dataset.page(after, CSV_CHUNK))
        for obj in chunk:
            row = dataset.row(obj, absolute)
            yield writer.writerow(
                [_cell(row[column.name], column.free_text) for column in dataset.columns]
            )
        if len(chunk) < CSV_CHUNK:
            return
        after = dataset.key(chunk[-1])


@require_safe
def opendata_csv(request: HttpRequest, dataset: str) -> StreamingHttpResponse:
    """The whole dataset, streamed: never held in memory whole."""
    described = _dataset(dataset)
    response = StreamingHttpResponse(
        _csv_lines(described, _absolute(request)),
        content_type="text/csv; charset=utf-8; header=present",
    )
    response["Content-Disposition"] = f'attachment; filename="samverkan-{dataset}.csv"'
    return _open(response)


@require_safe
def opendata_schema(request: HttpRequest, dataset: str) -> HttpResponse:
    described = _dataset(dataset)
    url = request.build_absolute_uri(reverse("opendata_schema", kwargs={"dataset": dataset}))
    return _json(page_schema(described, url), content_type="application/schema+json")


@require_safe
def opendata_catalog(request: HttpRequest) -> HttpResponse:
    return _json(catalog_document(_absolute(request)), content_type="application/ld+json")
