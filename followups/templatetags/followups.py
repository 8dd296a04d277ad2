"""The closed case's "Did the effect hold?" section: one query for every outcome's follow-ups."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from cases import access

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("followups/_case_section.html", takes_context=True)
def case_effect_section(context: template.Context, case: Any) -> dict[str, Any]:
    """Shown on a closed case only (an open case makes no query for it)."""
    if access.is_case_open(case):
        return {"show": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    today = timezone.localdate()
    effects = selectors.effects_of_case(case, today=today)
    may_report = user is not None and bool(services.reporting_organisation_ids(user, case))
    manager = user is not None and access.is_case_manager(user, case)
    for effect in effects:
        for point in effect.points:
            point.can_report = may_report and point.state in ("due", "overdue")
            point.can_review = manager and point.state == "waiting"
            point.can_correct = point.state == "returned" and (
                manager
                or point.measurement.organisation_id
                in services.reporting_organisation_ids(user, case)
            )
    return {"show": True, "case": case, "effects": effects}
