from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from django.views.generic import TemplateView

import cases.views.converters  # noqa: F401 - registers the <id:…> and <ref:…> converters

from . import views
from .views.case_sections import case_actions, case_participants, outcome_values
from .views.timeline import case_timeline_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<ref:reference>/", views.case_detail, name="case_detail"),
    path("cases/<ref:reference>/edit/", views.case_edit, name="case_edit"),
    path("cases/<ref:reference>/timeline/", case_timeline_view, name="case_timeline"),
    path("cases/<ref:reference>/actions/", case_actions, name="case_actions"),
    path("cases/<ref:reference>/participants/", case_participants, name="case_participants"),
    path("cases/<ref:reference>/status/", views.case_transition, name="case_transition"),
    path("cases/<ref:reference>/follow/", views.case_follow_toggle, name="case_follow"),
    path("cases/<ref:reference>/invite/", views.participation_invite, name="participation_invite"),
    path("cases/<ref:reference>/actions/new/", views.action_create, name="action_create"),
    path("cases/<ref:reference>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("actions/<id:pk>/", views.action_detail, name="action_detail"),
    path("actions/<id:pk>/edit/", views.action_edit, name="action_edit"),
    path(
        "outcomes/<id:pk>/measurements/new/",
        views.measurement_report,
        name="measurement_report",
    ),
    path("outcomes/<id:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<id:pk>/values/", outcome_values, name="outcome_values"),
    path("outcomes/<id:pk>/remove/", views.outcome_remove, name="outcome_remove"),
    path("measurements/<id:pk>/review/", views.measurement_review, name="measurement_review"),
    path("measurements/<id:pk>/correct/", views.measurement_correct, name="measurement_correct"),
    path("measurements/<id:pk>/withdraw/", views.measurement_withdraw, name="measurement_withdraw"),
    path("participations/<id:pk>/edit/", views.participation_edit, name="participation_edit"),
    path(
        "participations/<id:pk>/withdraw/",
        views.participation_withdraw,
        name="participation_withdraw",
    ),
    path("invitations/<id:pk>/", views.invitation_answer, name="invitation_answer"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("needs-me/<slug:group>/", views.attention_list, name="attention_list"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
]
