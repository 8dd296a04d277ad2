from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    STATE_AGENCY = "state_agency", _("State agency")
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Admin")
