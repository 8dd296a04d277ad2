from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<ref:reference>/obstacles/", views.case_obstacles, name="case_obstacles"),
    path("cases/<ref:reference>/obstacles/new/", views.obstacle_record, name="obstacle_record"),
    path("obstacles/", views.obstacle_register, name="obstacle_register"),
    path("obstacles/<int:pk>/", views.obstacle_group, name="obstacle_group"),
]
