"""The experiences section of the case page: published count, the newest, the way to share one,
and for moderators what waits. One query, and only on a case open to the public."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import accepts_experiences, can_moderate, case_summary, is_open_to_public

register = template.Library()


@register.inclusion_tag("citizens/_case_section.html", takes_context=True)
def case_experiences_section(context: template.Context, case: Any) -> dict[str, Any]:
    if not is_open_to_public(case):
        return {"hidden": True}
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "case": case,
        "summary": case_summary(case),
        "accepts": accepts_experiences(case),
        "can_moderate": user is not None and can_moderate(user, case),
    }
