"""The obstacle section of the case page: the count, the newest few, the way to the rest."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Obstacle
from ..services import can_record_obstacle

register = template.Library()
PREVIEW = 3


@register.inclusion_tag("learning/_case_section.html", takes_context=True)
def case_obstacle_section(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = Obstacle.objects.filter(case=case).order_by("-recorded_at", "-id")
    newest = list(rows.only("pk", "title", "kind", "statute")[: PREVIEW + 1])
    return {
        "case": case,
        "newest": newest[:PREVIEW],
        "more": len(newest) > PREVIEW,
        "can_record": user is not None and can_record_obstacle(user, case),
    }
