from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    STATUS_REPORT = "status_report", _("Status report")
    PROPOSAL = "proposal", _("Proposal for decision")
    OTHER = "other", _("Other item")


class ItemState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ON_AGENDA = "on_agenda", _("On the agenda")
    DECLINED = "declined", _("Not taken up")
