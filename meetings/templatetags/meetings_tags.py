from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.conf import settings

from agencies.models import Organisation
from cases.access import AnyUser, is_committee

register = template.Library()


@register.filter
def sees_meetings(user: AnyUser, organisations: Iterable[Organisation] = ()) -> bool:
    """`meetings.access.can_view_meetings`, answered from the organisations the header already
    read (no query of its own for the secretariat)."""
    if any(org.name == settings.SECRETARIAT_ORGANISATION for org in organisations or ()):
        return True
    return is_committee(user)
