from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

import cases.views.converters  # noqa: F401 - registers the <ref:…> converter

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<ref:reference>/report/", api.CaseReportView.as_view(), name="api-case-report"),
    path("reports/portfolio/", api.PortfolioReportView.as_view(), name="api-portfolio-report"),
    path("reports/<uuid:uuid>/", api.ReportDetailView.as_view(), name="api-report-detail"),
    path(
        "reports/<uuid:uuid>/download/",
        api.ReportDownloadView.as_view(),
        name="api-report-download",
    ),
]
