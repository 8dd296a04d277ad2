from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <id:…> and <ref:…> converters

from . import import_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("exports/<slug:slug>.<slug:extension>", views.export_download, name="export_download"),
    path(
        "cases/<ref:reference>/measurements/import/",
        import_views.measurement_import_upload,
        name="measurement_import",
    ),
    path(
        "measurement-imports/<id:pk>/",
        import_views.measurement_import_preview,
        name="measurement_import_preview",
    ),
]
