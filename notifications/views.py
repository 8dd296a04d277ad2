"""The notification inbox and the email preferences of the signed-in user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .choices import EmailMode, EventKind
from .selectors import email_preferences, inbox_for_user
from .services import notification_mark_all_read, notification_mark_read, preferences_set


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notifications = inbox_for_user(request.user, unread_only=unread_only)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else ""}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(user=request.user, notification_ids=[pk])
    return redirect("inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("inbox")


class PreferencesForm(forms.Form):
    """One choice per event kind: email immediately, in a daily digest, or not at all."""

    def __init__(self, *args: Any, initial_modes: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in EventKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=EmailMode.choices, initial=initial_modes.get(kind)
            )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial_modes=email_preferences(request.user))
    if form.is_valid():
        try:
            preferences_set(user=request.user, email_modes=dict(form.cleaned_data))
        except ValidationError as error:
            for kind, errors in error.message_dict.items():
                form.add_error(kind if kind in form.fields else None, errors)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})
