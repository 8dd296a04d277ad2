"""The portfolio's pages for the axe and keyboard checks: the list, the map and its municipality
view, the collaboration picture with an organisation's partners, and the public version."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.pages import PageType

PORTFOLIO_PAGES = [
    PageType("portfolio", "anna", lambda d: reverse("portfolio")),
    PageType(
        "portfolio-filtered", "anna", lambda d: f"{reverse('portfolio')}?flag=needs_committee"
    ),
    PageType("portfolio-map", "anna", lambda d: reverse("portfolio_map")),
    PageType("portfolio-county", "anna", lambda d: reverse("portfolio_county", args=["01"])),
    PageType(
        "portfolio-collaboration",
        "anna",
        lambda d: f"{reverse('portfolio_collaboration')}?organisation={d.orgs.sodertalje.pk}",
    ),
    PageType("public-portfolio", None, lambda d: reverse("public_portfolio")),
    PageType("public-portfolio-map", None, lambda d: reverse("public_portfolio_map")),
    PageType(
        "public-portfolio-collaboration", None, lambda d: reverse("public_portfolio_collaboration")
    ),
    PageType("portfolio-refused", "sara", lambda d: reverse("portfolio"), status=403),
]
