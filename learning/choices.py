from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObstacleKind(models.TextChoices):
    LEGAL = "legal", _("Legal")
    FINANCIAL = "financial", _("Financial")
    ORGANISATIONAL = "organisational", _("Organisational")
    TECHNICAL = "technical", _("Technical")
    DATA_SHARING = "data_sharing", _("Data sharing")
