"""The committee's overview: figures, flags, the map of Sweden, the collaboration picture."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

COUNTY = "<str:county_code>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("portfolio/", views.portfolio_list, name="portfolio"),
    path("portfolio/map/", views.portfolio_map, name="portfolio_map"),
    path(f"portfolio/map/{COUNTY}/", views.portfolio_county, name="portfolio_county"),
    path("portfolio/collaboration/", views.portfolio_collaboration, name="portfolio_collaboration"),
    path("portfolio/public/", views.portfolio_list, {"public": True}, name="public_portfolio"),
    path(
        "portfolio/public/map/", views.portfolio_map, {"public": True}, name="public_portfolio_map"
    ),
    path(
        f"portfolio/public/map/{COUNTY}/",
        views.portfolio_county,
        {"public": True},
        name="public_portfolio_county",
    ),
    path(
        "portfolio/public/collaboration/",
        views.portfolio_collaboration,
        {"public": True},
        name="public_portfolio_collaboration",
    ),
]
