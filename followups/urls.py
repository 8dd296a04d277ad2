from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "cases/<ref:reference>/followups/<int:pk>/report/",
        views.followup_report,
        name="followup_report",
    ),
]
