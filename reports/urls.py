"""PDF reports: the case report (lägesrapport) and the committee's portfolio report."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<ref:reference>/report.pdf", views.case_report, name="case_report"),
    path("reports/portfolio/", views.portfolio_report, name="portfolio_report"),
    path("reports/<uuid:uuid>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:uuid>/download/", views.report_download, name="report_download"),
]
