from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api import ObstacleGroupViewSet, ObstacleViewSet

router = SimpleRouter()
router.register("obstacles", ObstacleViewSet, basename="api-obstacle")
router.register("obstacle-groups", ObstacleGroupViewSet, basename="api-obstacle-group")

urlpatterns = router.urls
