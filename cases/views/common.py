"""Helpers shared by the web views: pagination and calling a service from a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..forms import add_service_errors
from ..services import StaleVersion

T = TypeVar("T")
PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a missing, garbled or too large page number gives a real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def call_service(form: forms.Form, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Run the service; its validation errors land by the form's fields. None on error.

    Services are atomic, so an error means nothing was written. PermissionDenied is left to
    Django, which answers with the 403 page.
    """
    try:
        return service(**kwargs)
    except StaleVersion:
        form.add_error(
            None,
            _("Someone else changed this in the meantime. Reload the page and try again."),
        )
    except ValidationError as error:
        add_service_errors(form, error)
    return None


def expected_version(form: forms.Form) -> int | None:
    return form.cleaned_data.get("version")
