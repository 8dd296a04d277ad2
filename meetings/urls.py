"""The committee's meetings: agendas, minutes and their adjustment, and the calendar feed."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/propose/", views.item_propose, name="agenda_item_propose"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/send/", views.agenda_send, name="agenda_send"),
    path("meetings/<int:pk>/items/new/", views.item_add, name="agenda_item_add"),
    path("meetings/items/<int:pk>/move/", views.item_move, name="agenda_item_move"),
    path("meetings/items/<int:pk>/decide/", views.item_decide, name="agenda_item_decide"),
    path("meetings/items/<int:pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("meetings/minutes/<int:pk>/adjust/", views.minutes_adjust, name="minutes_adjust"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
