from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("account/personal-data/", views.personal_data_download, name="personal_data_download"),
]
