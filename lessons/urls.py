from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("lessons/", views.lesson_library, name="lesson_library"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("cases/<ref:reference>/lessons/new/", views.lesson_record, name="lesson_record"),
]
