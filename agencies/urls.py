from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("organisations/", views.organisation_directory, name="organisation_directory"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
]
