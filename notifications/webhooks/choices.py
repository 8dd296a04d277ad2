from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Failed, retrying")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Dead")


# States in which a delivery still waits for an attempt.
OPEN_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)
