"""The portfolio's "follow-up overdue" flag: a case (closed ones too) with a follow-up value
still missing FOLLOWUP_GRACE_DAYS after its date."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.flags import Flag, flag_register, rows_annotator_register

from .choices import FollowUpStatus
from .models import FollowUp


def _annotate(rows: QuerySet) -> QuerySet:
    cutoff = timezone.localdate() - timedelta(days=settings.FOLLOWUP_GRACE_DAYS)
    overdue = FollowUp.objects.filter(
        case=OuterRef("pk"), status=FollowUpStatus.SCHEDULED, due_on__lt=cutoff
    )
    return rows.annotate(followup_overdue=Exists(overdue))


def _condition() -> Q:
    return Q(followup_overdue=True)


def register() -> None:
    rows_annotator_register(_annotate)
    flag_register(
        Flag("followup_overdue", _("Effect follow-up overdue"), _condition, after_closing=True)
    )
