"""The paged "show all" pages of the dashboard's "what needs me" groups and of "My actions"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import access, attention
from ..forms_attention import AttentionFilterForm
from .common import paginate, query_without_page


def committee_filters(request: HttpRequest) -> tuple[AttentionFilterForm | None, dict[str, Any]]:
    """The committee sees every case, so its list can be narrowed by theme and region; the
    others' lists are short and need no filter."""
    if not access.is_committee(request.user):
        return None, {}
    form = AttentionFilterForm(request.GET or None)
    return form, form.selector_filters()


def group_page(
    request: HttpRequest, group: str, *, mine_only: bool, filters: dict[str, Any]
) -> dict[str, Any]:
    """A page of one group, its rows decorated with their age and their new/changed mark."""
    user, now = request.user, timezone.now()
    today, since = timezone.localdate(now), attention.since_last_visit(user, now)
    if group in attention.ANSWER_GROUPS and not mine_only:
        page = paginate(request, attention.answer_queryset(user, group, filters))
        page.object_list = list(page.object_list)
        attention.decorate_answers(page.object_list, group, today=today, since=since)
    else:
        scope = attention.action_scope(user, mine_only=mine_only, filters=filters)
        page = paginate(request, attention.actions_in_group(scope, group, today=today))
        page.object_list = list(page.object_list)
        attention.decorate_actions(page.object_list, group, today=today, since=since)
    return {
        "group_key": group,
        "group_title": attention.group_titles()[group],
        "page": page,
        "query": query_without_page(request),
    }


@login_required
def attention_list(request: HttpRequest, group: str) -> HttpResponse:
    """All of one "what needs me" group, paged (the dashboard shows its first rows)."""
    if group not in attention.ACTION_GROUPS + attention.ANSWER_GROUPS:
        raise Http404("No such list")
    form, filters = committee_filters(request)
    context = group_page(request, group, mine_only=False, filters=filters)
    context["filter_form"] = form
    return render(request, "cases/attention_list.html", context)
