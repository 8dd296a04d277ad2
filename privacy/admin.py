"""Operators erase a person from the user list (an admin action beside Django's own)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services import person_erase

User = get_user_model()


@admin.action(description=_("Erase the selected people (names and e-mail replaced, sign-in off)"))
def erase_people(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    erased = [person_erase(user=user) for user in queryset.exclude(pk=request.user.pk)]
    modeladmin.message_user(
        request,
        ngettext("%(count)d person erased.", "%(count)d people erased.", len(erased))
        % {"count": len(erased)},
        messages.SUCCESS,
    )


class ErasingUserAdmin(UserAdmin):
    actions = [*(UserAdmin.actions or []), erase_people]


# django.contrib.auth's admin module registered the user list when imported above.
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, ErasingUserAdmin)
