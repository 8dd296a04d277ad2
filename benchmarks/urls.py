"""The product's URLs plus a bare view that returns the same page of cases without DRF."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from cases.api.serializers import CaseListSerializer
from cases.models import Case
from config.urls import urlpatterns as product_urls

# The very columns the API list reads, so both sides return the same rows.
FIELDS = CaseListSerializer.VALUES


def bare_case_list(request: HttpRequest) -> JsonResponse:
    """The same 50 rows as GET /api/v1/cases/?page_size=50 for a committee member."""
    rows = list(Case.objects.order_by("-created_at", "-id").values(*FIELDS)[:50])
    areas: dict[int, list[int]] = {}
    through = Case.scope_areas.through.objects.filter(case_id__in=[row["id"] for row in rows])
    for case_id, organisation_id in through.values_list("case_id", "organisation_id"):
        areas.setdefault(case_id, []).append(organisation_id)
    for row in rows:
        row["scope_areas"] = areas.get(row["id"], [])
    return JsonResponse({"count": Case.objects.count(), "results": rows})


urlpatterns = [path("bench/bare-cases/", bare_case_list), *product_urls]
