from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from django.views.generic import TemplateView

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:reference>/status/", views.case_transition, name="case_transition"),
    path("cases/<str:reference>/follow/", views.case_follow_toggle, name="case_follow"),
    path("cases/<str:reference>/invite/", views.participation_invite, name="participation_invite"),
    path("cases/<str:reference>/actions/new/", views.action_create, name="action_create"),
    path("cases/<str:reference>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path(
        "outcomes/<int:pk>/measurements/new/",
        views.measurement_report,
        name="measurement_report",
    ),
    path("invitations/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
]
