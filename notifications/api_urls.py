from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", api.NotificationList.as_view(), name="api-notification-list"),
    path("notifications/unread-count/", api.UnreadCount.as_view(), name="api-notification-unread"),
    path("notifications/read-all/", api.MarkAllRead.as_view(), name="api-notification-read-all"),
    path("notifications/preferences/", api.Preferences.as_view(), name="api-notification-prefs"),
    path("notifications/<int:pk>/read/", api.MarkRead.as_view(), name="api-notification-read"),
    path("cases/<int:pk>/follow/", api.CaseFollow.as_view(), name="api-case-follow"),
]
