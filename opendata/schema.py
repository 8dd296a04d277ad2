"""The JSON Schema (draft 2020-12) of each dataset's JSON pages, built from its columns.

Published at /data/schema/<dataset>.json; the address stays the same as long as the rows keep
their shape (a change that breaks a reader gets a new dataset version, not a new meaning).
Written in English whatever the reader's language, so that the document at a stable address is
one document.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from .datasets import Dataset

LICENSE_URL = "http://creativecommons.org/publicdomain/zero/1.0/"
PAGE_SIZE = 500


def page_schema(dataset: Dataset, schema_url: str) -> dict[str, Any]:
    with translation.override("en"):
        row = {
            "type": "object",
            "additionalProperties": False,
            "required": dataset.column_names(),
            "properties": {
                column.name: {**column.schema, "description": str(column.description)}
                for column in dataset.columns
            },
        }
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": schema_url,
            "title": f"Samverkan open data: {dataset.title}",
            "description": str(dataset.description),
            "type": "object",
            "additionalProperties": False,
            "required": ["dataset", "license", "schema", "next", "results"],
            "properties": {
                "dataset": {"const": dataset.slug},
                "license": {"const": LICENSE_URL, "description": "CC0 1.0 Universal."},
                "schema": {"type": "string", "format": "uri", "description": "This schema."},
                "next": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "results": {"type": "array", "maxItems": PAGE_SIZE, "items": row},
            },
        }
