from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "cases/<ref:reference>/followups/",
        api.CaseFollowUpList.as_view(),
        name="api-case-followups",
    ),
    path(
        "cases/<ref:reference>/followups/<int:pk>/report/",
        api.FollowUpReport.as_view(),
        name="api-followup-report",
    ),
]
