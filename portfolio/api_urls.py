from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import api

COUNTY = "portfolio/{}counties/<str:code>/municipalities/"
PARTNERS = "portfolio/{}collaboration/partners/<int:pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("portfolio/cases/", api.PortfolioCaseList.as_view(), name="api-portfolio-cases"),
    path("portfolio/counties/", api.CountyCounts.as_view(), name="api-portfolio-counties"),
    path(COUNTY.format(""), api.MunicipalityCounts.as_view(), name="api-portfolio-county"),
    path(
        "portfolio/collaboration/",
        api.Collaboration.as_view(),
        name="api-portfolio-collaboration",
    ),
    path(PARTNERS.format(""), api.Partners.as_view(), name="api-portfolio-partners"),
    path(
        "portfolio/public/cases/",
        api.PublicPortfolioCaseList.as_view(),
        name="api-public-portfolio-cases",
    ),
    path(
        "portfolio/public/counties/",
        api.PublicCountyCounts.as_view(),
        name="api-public-portfolio-counties",
    ),
    path(
        COUNTY.format("public/"),
        api.PublicMunicipalityCounts.as_view(),
        name="api-public-portfolio-county",
    ),
    path(
        "portfolio/public/collaboration/",
        api.PublicCollaboration.as_view(),
        name="api-public-portfolio-collaboration",
    ),
    path(
        PARTNERS.format("public/"),
        api.PublicPartners.as_view(),
        name="api-public-portfolio-partners",
    ),
]
