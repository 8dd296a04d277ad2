"""Read-only pages: dashboard, case list, case page, my actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.selectors import activity_on_followed_cases, inbox_for_user, is_following

from .. import access, selectors
from ..choices import ActionStatus, ParticipationState, ReviewState
from ..forms import CaseFilterForm
from ..models import Action, Case
from .activity import group_activity
from .common import paginate, query_without_page
from .timeline import readable_timeline

DASHBOARD_ROWS = 10
ACTIVITY_SCAN = 10  # events fetched per activity line, so that runs fold into few lines
TIMELINE_ROWS = 50
FINISHED = (ActionStatus.DONE, ActionStatus.CANCELLED)
CURRENT_STATES = (ParticipationState.INVITED, ParticipationState.ACTIVE)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in user's start page; the public landing page for everyone else."""
    user = request.user
    if not user.is_authenticated:
        public = selectors.case_list_for_user(user)[:DASHBOARD_ROWS]
        return render(request, "home.html", {"public_cases": public})
    context = {
        "my_cases": selectors.my_cases(user)[:DASHBOARD_ROWS],
        "actions": selectors.actions_needing_attention(user)[:DASHBOARD_ROWS],
        "activity": group_activity(
            activity_on_followed_cases(user, limit=DASHBOARD_ROWS * ACTIVITY_SCAN),
            limit=DASHBOARD_ROWS,
        ),
        "notifications": inbox_for_user(user, unread_only=True)[:5],
        "invitations": selectors.invitations_for_user(user),
        "pending_reviews": selectors.measurements_pending_review(user)[:DASHBOARD_ROWS],
    }
    return render(request, "cases/dashboard.html", context)


def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the visitor may see (only public ones without signing in), filtered."""
    form = CaseFilterForm(request.GET or None)
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


def _actions_by_status(user: Any, case: Case, actions: list[Action]) -> list[dict[str, Any]]:
    for action in actions:
        action.case = case  # share the case's cached participants with every access check
        action.waiting_for = [d for d in action.depends_on.all() if d.status not in FINISHED]
        action.can_change = access.can_change_action(user, action)
    groups = []
    for status, label in ActionStatus.choices:
        rows = [action for action in actions if action.status == status]
        if rows:
            groups.append({"status": status, "label": label, "actions": rows})
    return groups


def _outcomes(user: Any, case: Case) -> list[Any]:
    """The outcomes with their progress (approved values only) and, per reported value, what
    the user may do with it; no query per value (the case's participants are cached on it)."""
    outcomes = list(selectors.case_outcomes(case))
    for outcome in outcomes:
        outcome.case = case
        outcome.progress = selectors.outcome_progress(outcome)
        for measurement in outcome.measurements.all():
            measurement.outcome = outcome
            pending = measurement.review_state == ReviewState.SUBMITTED
            measurement.can_review = pending and access.can_review_measurement(user, measurement)
            measurement.can_correct = access.can_correct_measurement(user, measurement)
            measurement.can_withdraw = access.can_withdraw_measurement(user, measurement)
    return outcomes


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user, reference=reference)
    participations = list(selectors.case_participations(case))
    for participation in participations:
        participation.case = case  # the access checks below read the case; no query per row
        participation.can_answer = participation.state == "invited" and (
            access.can_respond_to_invitation(user, participation)
        )
        participation.can_edit = participation.state in CURRENT_STATES and (
            access.can_edit_participation(user, participation)
        )
    actions, outcomes = list(selectors.case_actions(case)), _outcomes(user, case)
    timeline = selectors.case_timeline_for_user(user, case=case, limit=TIMELINE_ROWS)
    context = {
        "case": case,
        "participations": participations,
        "any_participation_editable": any(p.can_edit for p in participations),
        "action_groups": _actions_by_status(user, case, actions),
        "outcomes": outcomes,
        "timeline": readable_timeline(timeline, known=[case, *actions, *outcomes]),
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
    actions = selectors.actions_needing_attention(request.user)
    return render(request, "cases/my_actions.html", {"page": paginate(request, actions)})
