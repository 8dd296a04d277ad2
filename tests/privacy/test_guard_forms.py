"""Every free-text field of every form refuses a personal identity number.

The forms are found, not listed: every form class in the product's modules (and the admin's for
the product's models), so a form or a field added later is covered by this test without anyone
adding it here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError

from .numbers import IMPOSSIBLE_DATE, PERSONNUMMER, SAMORDNINGSNUMMER, WRONG_CHECK_DIGIT

PRODUCT_PACKAGES = ("agencies", "cases", "notifications", "privacy", "config")
# Text fields with a format of their own, checked by their own validators.
FORMATTED = (
    forms.EmailField,
    forms.URLField,
    forms.SlugField,
    forms.UUIDField,
    forms.RegexField,
    forms.JSONField,
)


def _import_product_modules() -> None:
    for package_name in PRODUCT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" not in module.name and "settings" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _product_forms() -> list[type[forms.BaseForm]]:
    _import_product_modules()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PRODUCT_PACKAGES
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _admin_forms() -> list[type[forms.BaseForm]]:
    """The admin's change forms for the product's models."""
    found = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("agencies", "cases", "notifications", "auth"):
            try:
                found.append(model_admin.get_form(None, None, fields=None))
            except Exception:  # an admin whose form needs a request: its model's fields count
                continue
    return found


def _is_free_text(field: forms.Field) -> bool:
    return (
        isinstance(field, forms.CharField)
        and not isinstance(field, FORMATTED)
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        and not field.disabled
    )


def _text_fields() -> list[tuple[str, forms.Field]]:
    fields = []
    for form_class in [*_product_forms(), *_admin_forms()]:
        name = f"{form_class.__module__}.{form_class.__qualname__}"
        for field_name, field in form_class.base_fields.items():
            if _is_free_text(field):
                fields.append((f"{name}.{field_name}", field))
    return fields


TEXT_FIELDS = _text_fields()


def _clean(name: str, field: forms.Field, value: str) -> None:
    """The form field, then (for the admin's user name, which keeps Django's own field) the model
    field the admin's form validates it with."""
    field.clean(value)
    if isinstance(field, UsernameField):
        get_user_model()._meta.get_field(name.rsplit(".", 1)[-1]).clean(value, None)


def test_the_forms_were_found() -> None:
    names = {name for name, _field in TEXT_FIELDS}
    for expected in (
        "cases.forms.ActionUpdateForm.text",
        "cases.forms.TransitionForm.reason",
        "cases.forms.CaseForm.title",
        "cases.forms.CaseForm.problem_description",
        "cases.forms_participation.InvitationAnswerForm.reason",
        "cases.forms_measurements.MeasurementReviewForm.comment",
    ):
        assert expected in names
    assert len(TEXT_FIELDS) >= 25


@pytest.mark.parametrize("number", [PERSONNUMMER, SAMORDNINGSNUMMER], ids=["pnr", "samordning"])
@pytest.mark.parametrize(("name", "field"), TEXT_FIELDS, ids=[n for n, _f in TEXT_FIELDS])
def test_every_free_text_field_refuses_a_personal_identity_number(name, field, number) -> None:
    with pytest.raises(ValidationError) as refused:
        _clean(name, field, f"Gäller {number} enligt samtal")
    assert "personal_identity_number" in [e.code for e in refused.value.error_list]


@pytest.mark.parametrize("number", [WRONG_CHECK_DIGIT, IMPOSSIBLE_DATE], ids=["check", "date"])
@pytest.mark.parametrize(("name", "field"), TEXT_FIELDS, ids=[n for n, _f in TEXT_FIELDS])
def test_every_free_text_field_accepts_a_number_that_is_not_one(name, field, number) -> None:
    try:
        _clean(name, field, f"Ärende {number}")
    except ValidationError as error:
        assert "personal_identity_number" not in [e.code for e in error.error_list]
