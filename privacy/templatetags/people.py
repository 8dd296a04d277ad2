"""`{% person case.coordinator case "coordinator" %}`: a name for participants, a role and an
organisation for anonymous visitors and outsiders (privacy/people.py)."""

from __future__ import annotations

from typing import Any

from django import template

from privacy.people import person_for

register = template.Library()


@register.simple_tag(takes_context=True)
def person(context: template.Context, user: Any, case: Any = None, role: str = "author") -> str:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return person_for(viewer, user, case=case or None, role=role)
