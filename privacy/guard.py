"""Wires the personal-data guard (config/personal_data.py) into every way text comes in.

Once, at start-up, so that a field added tomorrow is guarded without anyone remembering it:
1. every free-text column (CharField, TextField) of the product's models gets the validator, so
   model forms, the admin, the API's model serializers and the services' `full_clean()` refuse
   the text by its field;
2. every plain text field of a Django form (`forms.CharField`, not passwords or hidden values)
   gets it, for forms that are not tied to a model (reasons, progress reports, mandates);
3. the API's text field (`config.api.fields.StrictCharField`) adds it itself.

The validators are attached to the field objects, not declared in the models, so migrations do
not change when the rule or its reach changes: a validator is not part of the database schema.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from config.personal_data import NOT_FREE_TEXT, no_personal_identity_number

# The apps whose tables hold what people write (history tables included).
GUARDED_APPS = (
    "agencies",
    "cases",
    "notifications",
    "decisions",
    "meetings",
    "documents",
    "learning",
    "trust",
    "citizens",
    "exports",
    "followups",
    "lessons",
)
TEXT_FIELD_TYPES = (models.CharField, models.TextField)


def is_free_text(field: models.Field) -> bool:
    """A column a person types into: plain text, editable, not a choice, not a code."""
    return (
        type(field) in TEXT_FIELD_TYPES
        and field.editable
        and not field.choices
        and field.name not in NOT_FREE_TEXT
    )


def text_columns(app_labels: tuple[str, ...] = GUARDED_APPS) -> Iterator[tuple[type, Any]]:
    """(model, field) for every concrete text column of the given apps' models."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, TEXT_FIELD_TYPES):
                    yield model, field


def guard_model_fields() -> None:
    # People's names and usernames too: the admin edits them and pages show them.
    user_fields = [(get_user_model(), f) for f in get_user_model()._meta.concrete_fields]
    for _model, field in [*text_columns(), *user_fields]:
        if is_free_text(field) and no_personal_identity_number not in field.validators:
            # `validators` is a cached property: the list read here is the one Django uses.
            field.validators = [*field.validators, no_personal_identity_number]


def _guards_form_field(field: forms.Field) -> bool:
    widget = field.widget
    return type(field) is forms.CharField and not isinstance(
        widget, forms.PasswordInput | forms.HiddenInput
    )


def guard_form_fields() -> None:
    """Django has no setting for a form field's default validators; wrapping the constructor
    once is the smallest change that reaches every form, the project's and the admin's."""
    original = forms.CharField.__init__
    if getattr(original, "guards_personal_data", False):
        return

    @functools.wraps(original)
    def __init__(self: forms.CharField, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if _guards_form_field(self) and no_personal_identity_number not in self.validators:
            self.validators.append(no_personal_identity_number)

    __init__.guards_personal_data = True  # type: ignore[attr-defined]
    forms.CharField.__init__ = __init__  # type: ignore[method-assign]


def install() -> None:
    guard_model_fields()
    guard_form_fields()
