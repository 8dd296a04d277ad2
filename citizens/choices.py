from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperienceKind(models.TextChoices):
    EXPERIENCE = "experience", _("Experience")
    SUGGESTION = "suggestion", _("Suggestion")


class ExperienceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
