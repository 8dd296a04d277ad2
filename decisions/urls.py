from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, register_converter

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter
from cases.views.converters import IdConverter

from . import views


class YearConverter(IdConverter):
    regex = "[0-9]{4}"


class NumberConverter(IdConverter):
    """A decision's number within its year: within the column's range, else a plain 404."""

    regex = "[0-9]{1,9}"


register_converter(YearConverter, "year")
register_converter(NumberConverter, "decision_number")

urlpatterns: list[URLPattern | URLResolver] = [
    path("decisions/", views.decision_list, name="decision_list"),
    path(
        "decisions/<year:year>/<decision_number:number>/",
        views.decision_detail,
        name="decision_detail",
    ),
    path("cases/<ref:reference>/decisions/new/", views.decision_create, name="decision_create"),
]
