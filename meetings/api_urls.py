from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api import AgendaItemViewSet, MeetingViewSet, MinutesViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("agenda-items", AgendaItemViewSet, basename="api-agenda-item")
router.register("minutes", MinutesViewSet, basename="api-minutes")

urlpatterns = router.urls
