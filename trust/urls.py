from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<ref:reference>/trust/", views.case_trust, name="case_trust"),
    path("cases/<ref:reference>/trust/answer/", views.trust_answer, name="trust_answer"),
    path("cases/<ref:reference>/trust/interval/", views.trust_interval, name="trust_interval"),
    path("trust/", views.trust_overview, name="trust_overview"),
]
