"""The case page's "Decisions" section, drawn by this app (the case view knows nothing of it)."""

from __future__ import annotations

from typing import Any

from django import template

from cases import access

from .. import selectors

register = template.Library()


@register.inclusion_tag("decisions/_case_decisions.html", takes_context=True)
def case_decisions(context: template.Context, case: Any) -> dict[str, Any]:
    """The newest decisions on a case the page has already let the visitor see (one query)."""
    user = context["request"].user
    return {
        "case": case,
        "case_decisions": selectors.case_decisions(user, case),
        "can_decide": access.is_committee(user),
        "request": context["request"],
    }
