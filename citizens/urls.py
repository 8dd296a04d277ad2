from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<ref:reference>/share/", views.case_experiences, name="case_experiences"),
    path(
        "cases/<ref:reference>/experiences/",
        views.case_experience_queue,
        name="case_experience_queue",
    ),
    path("experiences/", views.experience_queue, name="experience_queue"),
]
