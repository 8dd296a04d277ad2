"""Shared pieces of the case services: errors, field updates and guards."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CaseStatus
from ..models import Case


class TransitionNotAllowed(ValidationError):
    """A status change the workflow does not allow (the API answers 409)."""


class StaleVersion(Exception):
    """The caller edited an older version of the object (the API answers 412)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"stale version; current is {current_version}")
        self.current_version = current_version


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def ensure_case_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed; nothing in it can be changed."))


def check_version(instance: Any, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != instance.version:
        raise StaleVersion(instance.version)


def apply_changes(
    instance: models.Model, data: dict[str, Any], allowed: Iterable[str]
) -> dict[str, tuple[Any, Any]]:
    """Set the allowed fields on `instance`; return {field: (old, new)} for those that changed."""
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changes = {}
    for name, value in data.items():
        old = getattr(instance, name)
        if old != value:
            setattr(instance, name, value)
            changes[name] = (old, value)
    return changes


def m2m_changes(
    instance: models.Model, data: dict[str, Any], names: Iterable[str]
) -> dict[str, list[Any]]:
    """The many-to-many values in `data` that differ from what `instance` has now."""
    changed = {}
    for name in names:
        if name in data:
            wanted = list(data.pop(name))
            current = {obj.pk for obj in getattr(instance, name).all()} if instance.pk else set()
            if {obj.pk for obj in wanted} != current:
                changed[name] = wanted
    return changed


def serialise(value: Any) -> Any:
    """A JSON-safe form of a changed value, for event payloads."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [serialise(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
