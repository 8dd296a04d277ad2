from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api import AttachmentViewSet

router = SimpleRouter()
router.register("attachments", AttachmentViewSet, basename="api-attachment")

urlpatterns = router.urls
