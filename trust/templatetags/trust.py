"""The trust section of the case page, and the filters of the trust pages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from ..selectors import unanswered_for_user

register = template.Library()


@register.filter
def one_decimal(value: Decimal) -> str:
    return number_format(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP), 1)


@register.filter
def trust_value(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.inclusion_tag("trust/_case_section.html", takes_context=True)
def case_trust_section(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"case": case, "unanswered": user is not None and unanswered_for_user(user, case)}
