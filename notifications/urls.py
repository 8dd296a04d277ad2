from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/read/", views.mark_read, name="notification_read"),
    path("notifications/read-all/", views.mark_all_read, name="notification_read_all"),
    path("notifications/preferences/", views.preferences, name="notification_preferences"),
]
