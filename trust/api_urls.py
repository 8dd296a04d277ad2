from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "cases/<ref:reference>/trust/rounds/",
        api.CaseRoundsView.as_view(),
        name="api-case-trust-rounds",
    ),
    path(
        "cases/<ref:reference>/trust/answers/",
        api.CaseAnswersView.as_view(),
        name="api-case-trust-answers",
    ),
    path("trust/cases/", api.LatestRoundsView.as_view(), name="api-trust-cases"),
    path("trust/overall/", api.OverallView.as_view(), name="api-trust-overall"),
]
