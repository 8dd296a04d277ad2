"""Attachments on cases, actions, meetings and decisions: versions, access-checked downloads."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <id:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("files/<slug:kind>/<id:pk>/", views.attachment_list, name="attachment_list"),
    path("files/<slug:kind>/<id:pk>/new/", views.attachment_add, name="attachment_add"),
    path("attachments/<id:pk>/", views.attachment_detail, name="attachment_detail"),
    path("attachments/<id:pk>/replace/", views.attachment_replace, name="attachment_replace"),
    path("attachments/<id:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("attachments/<id:pk>/download/", views.attachment_download, name="attachment_download"),
    path(
        "attachments/<id:pk>/versions/<id:number>/download/",
        views.attachment_download,
        name="attachment_version_download",
    ),
]
