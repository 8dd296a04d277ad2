"""/api/v1/: each app contributes its own routes; anything else is a JSON 404."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # nothing happens here; a POST gets the same JSON 404 as a GET
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """API clients get JSON, not the HTML page, for a path that names nothing."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("", include("agencies.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("notifications.webhooks.api_urls")),
    path("", include("meetings.api_urls")),
    path("", include("decisions.api_urls")),
    path("", include("portfolio.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("exports.api_urls")),
    path("", include("opendata.api_urls")),
    path("", include("learning.api_urls")),
    path("", include("trust.api_urls")),
    path("", include("citizens.api_urls")),
    path("", include("followups.api_urls")),
    path("", include("lessons.api_urls")),
    re_path(r"^(?P<rest>[\s\S]*)\Z", api_not_found),
]
