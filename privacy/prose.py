"""A person's name where someone typed it into free text, found and replaced by a label.

Names kept by reference (an author, an assignee) follow the user row by themselves. Prose does
not: "agreed with Petra Persson" in a progress report, a reason, a mandate, a title, and in the
history records and event payloads (what webhooks send) that copied that text. Every text field
of every Samverkan model, historical models included, is searched, so a new model is covered
without a change here. Rows are rewritten in place with bulk updates: no history record is added
or removed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Cast

BATCH = 500


def name_pattern(first_name: str, last_name: str, email: str) -> re.Pattern[str] | None:
    """The forms a full name is typed in ("Petra Persson", "Persson, Petra"), and the e-mail.

    A first name alone is left: it cannot be told apart from other people of that name.
    """
    first, last = first_name.strip(), last_name.strip()
    forms = []
    if first and last:
        f, la = (re.escape(part).replace(r"\ ", r"\s+") for part in (first, last))
        forms += [rf"{f}\s+{la}", rf"{la},?\s+{f}"]
    if email.strip():
        forms.append(re.escape(email.strip()))
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)", re.IGNORECASE)


def _project_models() -> Iterator[type[models.Model]]:
    base = str(settings.BASE_DIR)
    user_model = get_user_model()
    for config in apps.get_app_configs():
        if not config.path.startswith(base) or "site-packages" in config.path:
            continue
        for model in config.get_models():
            if model is not user_model and not model._meta.proxy:
                yield model


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        and not field.choices
        and not field.unique
        and not field.primary_key
    ]


def _rows_mentioning(
    model: type[models.Model], field: models.Field, needle: str
) -> Iterator[models.Model]:
    if isinstance(field, models.JSONField):
        queryset = model._default_manager.annotate(
            _as_text=Cast(field.name, models.TextField())
        ).filter(_as_text__icontains=needle)
    else:
        queryset = model._default_manager.filter(**{f"{field.name}__icontains": needle})
    return queryset.only("pk", field.name).order_by("pk").iterator(chunk_size=BATCH)


def _replaced(value: object, field: models.Field, pattern: re.Pattern[str], label: str) -> object:
    if isinstance(field, models.JSONField):
        text = json.dumps(value, ensure_ascii=False)
        return json.loads(pattern.sub(label.replace("\\", r"\\"), text))
    if not isinstance(value, str):
        return value
    replaced = pattern.sub(label.replace("\\", r"\\"), value)
    return replaced[: field.max_length] if field.max_length else replaced


def _save_in_batches(
    model: type[models.Model], field: models.Field, rows: Iterable[models.Model]
) -> int:
    batch: list[models.Model] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model._default_manager.bulk_update(batch, [field.name])
            count += len(batch)
            batch = []
    model._default_manager.bulk_update(batch, [field.name])
    return count + len(batch)


def names_in_prose_replace(*, first_name: str, last_name: str, email: str, label: str) -> int:
    """Replace the person's name in every text field of every model; the number of fields changed.

    The database narrows the rows (the last name, or the e-mail, appears); the pattern decides.
    Called inside person_erase's transaction.
    """
    pattern = name_pattern(first_name, last_name, email)
    if pattern is None:
        return 0
    needles = [n for n in (last_name.strip(), email.strip()) if n]
    changed = 0
    for model in _project_models():
        for field in _text_fields(model):
            rows = []
            seen: set[object] = set()
            for needle in needles:
                for row in _rows_mentioning(model, field, needle):
                    if row.pk in seen:
                        continue
                    seen.add(row.pk)
                    old = getattr(row, field.attname)
                    new = _replaced(old, field, pattern, label)
                    if new != old:
                        setattr(row, field.attname, new)
                        rows.append(row)
            changed += _save_in_batches(model, field, rows)
    return changed
