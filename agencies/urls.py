from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <id:…> and <ref:…> converters

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("organisations/", views.organisation_directory, name="organisation_directory"),
    path("organisations/search/", views.organisation_search_options, name="organisation_search"),
    path("people/search/", views.person_search_options, name="person_search"),
    path("organisations/<id:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<id:pk>/sign-in/", views.organisation_sign_in, name="organisation_sign_in"),
    path("account/", views.account, name="account"),
    path("account/tokens/<id:pk>/revoke/", views.account_token_revoke, name="account_token_revoke"),
]
