"""Operator tools: the admin signs in through the product's sign-in (so with its second step),
and an operator can reset a user's second factor from the user list.

Paused sign-ins are listed and lifted under "Axes › Access attempts" (delete the attempt), or
with `manage.py axes_reset_username <username>` / `axes_reset_ip <address>`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services import two_factor_remove
from .views.signin import SignInView


def _admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin's own sign-in form would skip the code step: it uses the product's instead."""
    return SignInView.as_view()(request)


admin.site.login = _admin_login  # type: ignore[method-assign]


@admin.action(description=_("Reset two-factor sign-in (the user sets it up again)"))
def reset_two_factor(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    users = list(queryset)
    for user in users:
        two_factor_remove(user=user)
    modeladmin.message_user(
        request,
        ngettext(
            "Two-factor sign-in reset for %(count)d user.",
            "Two-factor sign-in reset for %(count)d users.",
            len(users),
        )
        % {"count": len(users)},
        messages.SUCCESS,
    )


def _add_reset_action() -> None:
    """Adds the action to whichever user admin is registered, without replacing it."""
    user_admin = admin.site._registry.get(get_user_model())
    if user_admin is not None:
        user_admin.actions = [*(user_admin.actions or []), reset_two_factor]


_add_reset_action()
