"""Read-only pages: dashboard, case list, case page, my actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from notifications.selectors import activity_on_followed_cases, inbox_page, is_following

from .. import access, attention, selectors
from ..choices import ActionStatus, ParticipationState
from ..forms import CaseFilterForm
from ..history import case_timeline_page
from ..services.visits import dashboard_visit_record
from . import case_sections as sections
from .activity import group_activity
from .attention import committee_filters, group_page
from .common import paginate, query_without_page
from .timeline import readable_timeline

DASHBOARD_ROWS = 10
ACTIVITY_SCAN = 10  # events fetched per activity line, so that runs fold into few lines
TIMELINE_ROWS = 8  # the newest entries on the case page; the timeline page has the rest
FINISHED = (ActionStatus.DONE, ActionStatus.CANCELLED)
CURRENT_STATES = (ParticipationState.INVITED, ParticipationState.ACTIVE)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page; the public landing page for everyone else.

    It leads with what needs the user, then their cases, unread notifications and
    recent activity."""
    user = request.user
    if not user.is_authenticated:
        public = selectors.case_list_for_user(user)[:DASHBOARD_ROWS]
        return render(request, "home.html", {"public_cases": public})
    since = dashboard_visit_record(user=user)
    filter_form, filters = committee_filters(request)
    needs = attention.what_needs_me(user, since=since, filters=filters)
    context = {
        "needs": needs,
        "needs_total": attention.groups_total(needs)[0],
        "needs_capped": attention.groups_total(needs)[1],
        "filter_form": filter_form,
        "query": query_without_page(request),
        "my_cases": selectors.my_cases(user)[:DASHBOARD_ROWS],
        "activity": group_activity(
            activity_on_followed_cases(user, limit=DASHBOARD_ROWS * ACTIVITY_SCAN),
            limit=DASHBOARD_ROWS,
        ),
        "notifications": inbox_page(user, unread_only=True, size=5),
    }
    return render(request, "cases/dashboard.html", context)


def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the visitor may see (only public ones without signing in), filtered."""
    form = CaseFilterForm(request.GET or None, enhanced=request.user.is_authenticated)
    filters = form.selector_filters() if form.is_bound and form.is_valid() else {}
    cases = selectors.case_list_filtered(request.user, filters=filters).order_by("-created_at")
    context = {
        "form": form,
        "page": paginate(request, cases),
        "query": query_without_page(request),
        "can_create": access.can_create_case(request.user),
    }
    template = "cases/_case_rows.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The case on one screen: a summary, then sections that are collapsed or cut to their
    first rows, each with a way to the rest; a fixed number of queries for any case."""
    user = request.user
    case = selectors.case_get_for_user(user, reference=reference)
    participations = sections.first_participations(case)
    sections.with_participation_rights(user, case, participations)
    counts = sections.action_counts(case)
    outcomes = sections.case_outcomes(user, case)
    timeline = case_timeline_page(case, size=TIMELINE_ROWS)  # the case was access-checked
    context = {
        "case": case,
        "participations": [p for p in participations if p.state in CURRENT_STATES],
        "former_participations": [p for p in participations if p.state not in CURRENT_STATES],
        "participation_counts": sections.participation_counts(case),
        "any_participation_editable": any(p.can_edit for p in participations),
        "action_counts": counts,
        "next_deadlines": sections.next_deadlines(case),
        "action_groups": sections.action_groups(user, case, counts),
        "outcomes": outcomes,
        "outcome_summary": sections.outcome_summary(outcomes),
        "timeline": readable_timeline(
            timeline.entries, known=[case, *outcomes], viewer=request.user
        ),
        "timeline_older": timeline.older,
        "following": is_following(user, case.pk),
        "can_manage": access.can_manage_case(user, case),
        "can_reopen": access.can_reopen_case(user, case),
        "can_create_action": user.is_authenticated and access.can_create_action(user, case),
        "can_report": bool(access.working_organisation_ids(user, case))
        or access.can_manage_case(user, case),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """My organisations' actions in groups (overdue, blocked, due soon, later, finished), the
    first rows of each; `?group=` pages through one group."""
    group = request.GET.get("group", "")
    if group in attention.MY_ACTION_GROUPS:
        context = group_page(request, group, mine_only=True, filters={})
        return render(request, "cases/my_actions.html", context)
    since = attention.since_last_visit(request.user, timezone.now())
    groups = attention.what_needs_me(request.user, since=since, mine_only=True)
    total, capped = attention.groups_total(groups)
    context = {"groups": groups, "total": total, "capped": capped}
    return render(request, "cases/my_actions.html", context)
