from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.views import ApiTokenViewSet, MeView, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]
