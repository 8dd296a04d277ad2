from __future__ import annotations

from rest_framework.routers import SimpleRouter

from .api.actions import ActionViewSet
from .api.cases import CaseViewSet
from .api.measurements import MeasurementViewSet
from .api.outcomes import OutcomeViewSet
from .api.participations import ParticipationViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")
router.register("participations", ParticipationViewSet, basename="api-participation")
router.register("actions", ActionViewSet, basename="api-action")
router.register("outcomes", OutcomeViewSet, basename="api-outcome")
router.register("measurements", MeasurementViewSet, basename="api-measurement")

urlpatterns = router.urls
