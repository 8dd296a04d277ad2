"""The kinds of thing a file can be attached to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnerKind(models.TextChoices):
    """What an attachment belongs to; each kind is a foreign key on Attachment (see owners.py)."""

    CASE = "case", _("Case")
    ACTION = "action", _("Action")
    DECISION = "decision", _("Decision")
    MEETING = "meeting", _("Meeting")
    AGENDA_ITEM = "agenda_item", _("Agenda item")
