from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api import CaseLessonViewSet, LessonViewSet

router = SimpleRouter()
router.register("lessons", LessonViewSet, basename="api-lesson")
router.register(r"cases/(?P<id>[0-9]+)/lessons", CaseLessonViewSet, basename="api-case-lesson")

urlpatterns = router.urls
