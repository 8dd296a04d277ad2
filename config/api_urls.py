"""/api/v1/: each app contributes its own routes."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("agencies.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("notifications.webhooks.api_urls")),
]
