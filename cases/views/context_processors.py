"""What every page's header shows: the user's organisations and unread notification count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from agencies.models import Organisation
from notifications.selectors import unread_count

from ..access import is_committee

UNREAD_CAP = 99  # the header says "99+ unread" past this


def header(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that never render the header (redirects, htmx fragments) pay nothing.
    return {
        "unread_count": SimpleLazyObject(lambda: unread_count(user, cap=UNREAD_CAP)),
        "committee_member": SimpleLazyObject(lambda: is_committee(user)),
        "my_organisations": SimpleLazyObject(
            lambda: list(Organisation.objects.filter(memberships__user=user).order_by("name"))
        ),
    }
