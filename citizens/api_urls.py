from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api import ExperienceModerationViewSet, PublicExperienceViewSet

router = SimpleRouter()
router.register(
    r"public/cases/(?P<reference>[A-Za-z0-9-]{1,20})/experiences",
    PublicExperienceViewSet,
    basename="api-public-experience",
)
router.register("experiences", ExperienceModerationViewSet, basename="api-experience")

urlpatterns = router.urls
