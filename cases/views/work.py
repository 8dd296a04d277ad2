"""Pages of the joint work on a case: actions, progress updates, outcomes, measurements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.models import Organisation

from .. import access, selectors, services
from ..forms import ActionForm, ActionUpdateForm, MeasurementForm, OutcomeForm
from ..models import Action, Case
from .common import call_service, expected_version


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _action_for(request: HttpRequest, pk: int) -> Action:
    return selectors.action_get_for_user(request.user, pk=pk)


def _lead_ids(request: HttpRequest, case: Case) -> set[int] | None:
    """Which organisations the user may make lead: any participant for the case's managers,
    otherwise only their own working organisations (the service refuses anything else)."""
    if access.can_manage_case(request.user, case):
        return None
    return access.working_organisation_ids(request.user, case)


@login_required
def action_create(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, reference=reference)
    _deny_unless(access.can_create_action(request.user, case))
    form = ActionForm(request.POST or None, case=case, lead_ids=_lead_ids(request, case))
    if form.is_valid():
        action = call_service(
            form, services.action_create, actor=request.user, case=case, **form.service_data()
        )
        if action is not None:
            messages.success(request, _("The action was added."))
            return redirect("action_detail", pk=action.pk)
    return render(request, "cases/action_form.html", {"form": form, "case": case})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk)
    _deny_unless(access.can_change_action(request.user, action))
    lead_ids = None if access.can_manage_case(request.user, action.case) else set()
    if lead_ids is not None:
        lead_ids.add(action.lead_organisation_id)  # partners cannot hand the action over
    form = ActionForm(
        request.POST or None,
        instance=action,
        case=action.case,
        lead_ids=lead_ids,
        plan_editable=access.can_edit_action_plan(request.user, action),
    )
    if form.is_valid():
        updated = call_service(
            form,
            services.action_update,
            actor=request.user,
            action=action,
            data=form.service_data(),
            expected_version=expected_version(form),
        )
        if updated is not None:
            messages.success(request, _("The action was saved."))
            return redirect("action_detail", pk=action.pk)
    context = {"form": form, "case": action.case, "action": action}
    return render(request, "cases/action_form.html", context)


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The action, its dependencies and progress updates, and the form to post one."""
    action = _action_for(request, pk)
    can_change = access.can_change_action(request.user, action)
    form = ActionUpdateForm(request.POST or None)
    if request.method == "POST":
        _deny_unless(can_change)
        if form.is_valid():
            update = call_service(
                form,
                services.action_update_post,
                actor=request.user,
                action=action,
                **form.cleaned_data,
            )
            if update is not None:
                messages.success(request, _("Your progress update was posted."))
                return redirect("action_detail", pk=action.pk)
    context = {
        "action": action,
        "case": action.case,
        "updates": selectors.action_updates(action),
        "can_change": can_change,
        "form": form,
    }
    return render(request, "cases/action_detail.html", context)


@login_required
def outcome_create(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, reference=reference)
    _deny_unless(access.can_manage_outcomes(request.user, case))
    form = OutcomeForm(request.POST or None)
    if form.is_valid():
        outcome = call_service(
            form, services.outcome_create, actor=request.user, case=case, **form.cleaned_data
        )
        if outcome is not None:
            messages.success(request, _("The outcome was added."))
            return redirect("case_detail", reference=case.reference)
    return render(request, "cases/outcome_form.html", {"form": form, "case": case})


@login_required
def measurement_report(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = selectors.outcome_get_for_user(request.user, pk=pk)
    case = outcome.case
    if access.can_manage_case(request.user, case):
        allowed_ids = set(access.active_participant_ids(case))
    else:
        allowed_ids = access.working_organisation_ids(request.user, case)
    _deny_unless(bool(allowed_ids))
    organisations = Organisation.objects.filter(pk__in=allowed_ids).order_by("name")
    form = MeasurementForm(request.POST or None, organisations=organisations)
    if form.is_valid():
        measurement = call_service(
            form,
            services.measurement_report,
            actor=request.user,
            outcome=outcome,
            **form.cleaned_data,
        )
        if measurement is not None:
            messages.success(request, _("The measurement was recorded."))
            return redirect("case_detail", reference=case.reference)
    context = {"form": form, "case": case, "outcome": outcome}
    return render(request, "cases/measurement_form.html", context)
