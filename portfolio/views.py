"""The portfolio's pages: the committee's full version and the public one over public cases.

Each view takes `public`: the committee's pages refuse everyone else (sign in first, then 403);
the public pages show everyone the public cases, without flags and without naming a person.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.access import is_committee
from cases.views.common import paginate, query_without_page

from . import geo, selectors
from .collaboration import key_figures, matrix_grid, partners, sector_labels, sector_matrix
from .flags import flags_of
from .forms import PartnerForm, PortfolioFilterForm

PAGE_SIZE = 25


def _names(public: bool) -> dict[str, str]:
    prefix = "public_" if public else ""
    return {
        "list": f"{prefix}portfolio",
        "map": f"{prefix}portfolio_map",
        "county": f"{prefix}portfolio_county",
        "collaboration": f"{prefix}portfolio_collaboration",
    }


def _cases(request: HttpRequest, public: bool) -> Any:
    """The cases of the version asked for (PermissionDenied for the full one, unless the
    committee asks)."""
    return selectors.portfolio_cases(request.user, public=public)


def _page(
    request: HttpRequest, public: bool, template: str, context: dict[str, Any]
) -> HttpResponse:
    context.update(public=public, names=_names(public), committee_member=is_committee(request.user))
    return render(request, template, context)


def _sign_in_first(request: HttpRequest, public: bool) -> HttpResponse | None:
    if not public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def portfolio_list(request: HttpRequest, public: bool = False) -> HttpResponse:
    """Every case with its figures and flags, filtered, sorted and paged by the database."""
    if response := _sign_in_first(request, public):
        return response
    cases = _cases(request, public)
    form = PortfolioFilterForm(request.GET or None, public=public)
    valid = form.is_bound and form.is_valid()
    filters = form.selector_filters() if valid else {}
    sort = (form.cleaned_data.get("sort") if valid else "") or selectors.DEFAULT_ORDERING
    rows = selectors.portfolio_order(
        selectors.portfolio_filter(selectors.portfolio_rows(cases), filters), sort
    )
    page = paginate(request, rows, PAGE_SIZE)
    for row in page.object_list:
        row.regions = selectors.case_regions(row)
        row.flags = [] if public else flags_of(row)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return _page(request, public, "portfolio/portfolio_list.html", context)


def portfolio_map(request: HttpRequest, public: bool = False) -> HttpResponse:
    """Sweden's 21 län shaded by their active cases, with the numbers as a table beside it."""
    if response := _sign_in_first(request, public):
        return response
    cases = _cases(request, public)
    counts = selectors.county_counts(cases)
    drawing = geo.sweden()
    areas = [(row, drawing.shapes.get(row.area.code)) for row in counts]
    context = {
        "counts": counts,
        "areas": areas,
        "drawing": drawing,
        "national": selectors.national_count(cases),
        "most": max((row.count for row in counts), default=0),
    }
    return _page(request, public, "portfolio/portfolio_map.html", context)


def portfolio_county(request: HttpRequest, county_code: str, public: bool = False) -> HttpResponse:
    """One län's municipalities shaded by the active cases that name them."""
    if response := _sign_in_first(request, public):
        return response
    county = geo.county(county_code)
    if county is None:
        raise Http404("No such county")
    cases = _cases(request, public)
    counts = selectors.municipality_counts(cases, county_code)
    drawing = geo.county_drawing(county_code)
    context = {
        "county": county,
        "counts": counts,
        "areas": [(row, drawing.shapes.get(row.area.code)) for row in counts],
        "drawing": drawing,
        "county_wide": selectors.county_wide_count(cases, county_code),
        "most": max((row.count for row in counts), default=0),
    }
    return _page(request, public, "portfolio/portfolio_county.html", context)


def portfolio_collaboration(request: HttpRequest, public: bool = False) -> HttpResponse:
    """The sector matrix, the key figures and, for one organisation, its partners."""
    if response := _sign_in_first(request, public):
        return response
    cases = _cases(request, public)
    pairs = sector_matrix(cases)
    form = PartnerForm(request.GET or None, public=public)
    organisation = form.cleaned_data["organisation"] if form.is_bound and form.is_valid() else None
    context = {
        "pairs": pairs,
        "grid": matrix_grid(pairs),
        "sector_labels": sector_labels(),
        "figures": key_figures(cases),
        "form": form,
        "organisation": organisation,
        "partners": paginate(request, partners(cases, organisation)) if organisation else None,
        "query": query_without_page(request),
    }
    return _page(request, public, "portfolio/portfolio_collaboration.html", context)
