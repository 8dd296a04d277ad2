from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api import DecisionViewSet

router = SimpleRouter()
router.register("decisions", DecisionViewSet, basename="api-decision")

urlpatterns = router.urls
