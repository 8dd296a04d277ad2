from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecidedBy(models.TextChoices):
    """Who took a decision: the committee as a body (at a meeting, or by circulation between
    meetings), or one named member the committee delegated the matter to."""

    COMMITTEE = "committee", _("The committee")
    DELEGATE = "delegate", _("A delegate of the committee")
