"""Open data about public cases: CSV, JSON, the DCAT-AP-SE catalogue and an Atom feed."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views
from .feeds import PublicChangesFeed

urlpatterns: list[URLPattern | URLResolver] = [
    path("data/", views.opendata_index, name="opendata_index"),
    path("data/catalog.jsonld", views.opendata_catalog, name="opendata_catalog"),
    path("data/changes.atom", PublicChangesFeed(), name="opendata_feed"),
    path("data/schema/<slug:dataset>.json", views.opendata_schema, name="opendata_schema"),
    path("data/<slug:dataset>.csv", views.opendata_csv, name="opendata_csv"),
    path("data/<slug:dataset>.json", views.opendata_json, name="opendata_json"),
]
