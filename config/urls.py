from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from agencies.views import ThrottledPasswordResetView
from config.api.docs import ApiDocsView
from config.health import healthz, readyz
from config.metrics import metrics


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: with hashed static names the address changes with every release.
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before Django's own auth URLs: the reset form is throttled per address and per client.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    # Before Django's own auth URLs: the sign-in with its second step (accounts/).
    path("", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),  # answered by config.metrics.MetricsMiddleware
    # Browsers ask for /favicon.ico where a page names no icon (the API's JSON, old browsers).
    path("favicon.ico", favicon, name="favicon"),
    path("", include("config.devmail.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("privacy.urls")),
    path("", include("agencies.urls")),
    path("", include("notifications.urls")),
    path("", include("meetings.urls")),
    path("", include("decisions.urls")),
    path("", include("portfolio.urls")),
    path("", include("documents.urls")),
    path("", include("reports.urls")),
    path("", include("exports.urls")),
    path("", include("opendata.urls")),
    path("", include("learning.urls")),
    path("", include("trust.urls")),
    path("", include("citizens.urls")),
    path("", include("followups.urls")),
    path("", include("lessons.urls")),
    path("", include("cases.urls")),
]
