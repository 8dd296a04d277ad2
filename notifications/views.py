"""The notification inbox and the email preferences of the signed-in user."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .choices import EmailMode
from .folding import Fold, fold
from .messages import no_access_message, notification_path
from .models import Event, Notification
from .preferences import LABELS, Group, all_groups
from .selectors import email_preferences, inbox_page
from .services import notification_mark_all_read, notification_mark_read, preferences_set

INBOX_PAGE = 25
INBOX_MAX_PAGE = 10_000  # a page number past this is read as the last one a person could reach


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, a page at a time. Pages say "newer" and "older"
    rather than "page 3 of 2,600": counting every notification of a long-standing user on each
    visit would cost more than the page itself."""
    unread_only = request.GET.get("unread") == "1"
    number = _page_number(request.GET.get("page"))
    rows = inbox_page(
        request.user,
        unread_only=unread_only,
        offset=(number - 1) * INBOX_PAGE,
        size=INBOX_PAGE + 1,  # one more tells whether there is an older page
    )
    if not rows and number > 1:  # past the oldest page (an old link): the newest page
        number = 1
        rows = inbox_page(request.user, unread_only=unread_only, size=INBOX_PAGE + 1)
    shown = rows[:INBOX_PAGE]
    context = {
        "number": number,
        "newer": _query(unread_only, number - 1) if number > 1 else "",
        "older": _query(unread_only, number + 1) if len(rows) > INBOX_PAGE else "",
        # A burst (one person, one kind, one case, close together) is one line on the page.
        "lines": [_inbox_line(run) for run in fold(shown, event_of=_event_of)],
        "unread_only": unread_only,
    }
    return render(request, "notifications/inbox.html", context)


def _page_number(raw: str | None) -> int:
    """The requested page; a missing or garbled number is the first page."""
    value = raw or ""
    return (
        min(int(value), INBOX_MAX_PAGE)
        if value.isascii() and value.isdigit() and value.strip("0")
        else 1
    )


def _query(unread_only: bool, number: int) -> str:
    return urlencode([*([("unread", "1")] if unread_only else []), ("page", number)])


def _event_of(notification: Notification) -> Event:
    return notification.event


def _inbox_line(run: Fold[Notification]) -> dict[str, Any]:
    """One inbox line: a notification, or a burst of them told once."""
    first = run.items[0]
    unread = [n.pk for n in run.items if not n.is_read]
    return {
        "event": run.event,
        "message": run.message if first.case_readable else no_access_message(),
        "readable": first.case_readable,
        "path": notification_path(first),
        "count": run.count,
        "earliest": run.earliest,
        "latest": run.latest,
        "unread_ids": unread,
        "pk": unread[0] if unread else first.pk,
    }


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, and the others of its line (`also`) when it tells a burst."""
    also = [int(v) for v in request.POST.getlist("also")[:500] if v.isdigit() and len(v) < 19]
    notification_mark_read(user=request.user, notification_ids=[pk, *also])
    return redirect("inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("inbox")


CUSTOM = "custom"


class PreferencesForm(forms.Form):
    """One choice per group (email at once, in the daily digest, not at all, or kind by kind)
    and, under "customise", one per preference key of the group.

    A group set to a mode sets every key in it; set to "kind by kind" (or left out: an older
    form, an API-like post) the per-key choices count. The per-key choices are always sent
    (a closed <details> still submits its fields).
    """

    def __init__(self, *args: Any, initial_modes: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = all_groups()
        for group in self.groups:
            modes = {initial_modes.get(key) for key in group.keys}
            self.fields[_group_field(group)] = forms.ChoiceField(
                label=group.label,
                help_text=group.help_text,
                required=False,
                choices=[*EmailMode.choices, (CUSTOM, _("Kind by kind (customise below)"))],
                initial=modes.pop() if len(modes) == 1 else CUSTOM,
            )
            for key in group.keys:
                self.fields[key] = forms.ChoiceField(
                    label=LABELS[key],
                    choices=EmailMode.choices,
                    initial=initial_modes.get(key),
                )

    def email_modes(self) -> dict[str, str]:
        """The mode per key this form asks for (after validation)."""
        modes: dict[str, str] = {}
        for group in self.groups:
            chosen = self.cleaned_data.get(_group_field(group)) or CUSTOM
            for key in group.keys:
                modes[key] = self.cleaned_data[key] if chosen == CUSTOM else chosen
        return modes

    def sections(self) -> list[dict[str, Any]]:
        """Per group: its field, its per-key fields, and whether "customise" starts open."""
        sections = []
        for group in self.groups:
            field = self[_group_field(group)]
            kinds = [self[key] for key in group.keys]
            custom = field.value() == CUSTOM
            is_open = custom or bool(field.errors) or any(kind.errors for kind in kinds)
            sections.append({"group": group, "field": field, "kinds": kinds, "open": is_open})
        return sections


def _group_field(group: Group) -> str:
    return f"group-{group.key}"


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial_modes=email_preferences(request.user))
    if form.is_valid():
        try:
            preferences_set(user=request.user, email_modes=form.email_modes())
        except ValidationError as error:
            for kind, errors in error.message_dict.items():
                form.add_error(kind if kind in form.fields else None, errors)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})
