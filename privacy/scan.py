"""Finds personal identity numbers already stored in the product's tables (never shows them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Cast

from config.personal_data import find_identity_numbers

from .guard import GUARDED_APPS

SCAN_CHUNK = 500
# Six digits in a row: the database leaves out every row that cannot hold a number.
_PREFILTER = r"[0-9]{6}"
SCANNED_TYPES = (models.CharField, models.TextField, models.JSONField)


@dataclass(frozen=True)
class Finding:
    label: str  # app_label.model
    field: str
    pk: Any
    masked: str


def scanned_columns() -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every text and JSON column of the product's tables, their histories and the users'."""
    models_to_scan = [
        model for label in GUARDED_APPS for model in apps.get_app_config(label).get_models()
    ]
    models_to_scan.append(get_user_model())
    for model in models_to_scan:
        for field in model._meta.concrete_fields:
            if isinstance(field, SCANNED_TYPES) and not field.choices:
                yield model, field


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def scan_column(model: type[models.Model], field: models.Field) -> Iterator[Finding]:
    """Rows whose text holds a number, read in chunks of SCAN_CHUNK (memory stays bounded)."""
    rows = (
        model._default_manager.annotate(_scanned=Cast(field.name, models.TextField()))
        .filter(_scanned__regex=_PREFILTER)
        .order_by("pk")
        .values_list("pk", field.name)
    )
    for pk, value in rows.iterator(chunk_size=SCAN_CHUNK):
        for found in find_identity_numbers(_as_text(value)):
            yield Finding(model._meta.label_lower, field.name, pk, found.masked)


def scan() -> Iterator[Finding]:
    for model, field in scanned_columns():
        yield from scan_column(model, field)
