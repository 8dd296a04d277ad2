"""Pages that change a case: create, edit, status (and reopening), follow, invite."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.services import case_follow, case_unfollow

from .. import access, selectors, services
from ..forms import CaseForm, InviteForm, TransitionForm
from .common import call_service, expected_version


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    _deny_unless(access.can_create_case(request.user))
    form = CaseForm(request.POST or None)
    if form.is_valid():
        case = call_service(form, services.case_create, actor=request.user, **form.service_data())
        if case is not None:
            message = _("The case %(reference)s was registered.")
            messages.success(request, message % {"reference": case.reference})
            return redirect("case_detail", reference=case.reference)
    return render(request, "cases/case_form.html", {"form": form})


@login_required
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, reference=reference)
    _deny_unless(access.can_manage_case(request.user, case))
    form = CaseForm(request.POST or None, instance=case, user=request.user)
    if form.is_valid():
        updated = call_service(
            form,
            services.case_update,
            actor=request.user,
            case=case,
            data=form.service_data(),
            expected_version=expected_version(form),
            reason=form.reason(),
        )
        if updated is not None:
            messages.success(request, _("The case was saved."))
            if not access.can_view_case(request.user, updated):
                # A coordinator who handed over a restricted case no longer sees it.
                return redirect("dashboard")
            return redirect("case_detail", reference=case.reference)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


@login_required
def case_transition(request: HttpRequest, reference: str) -> HttpResponse:
    """Move the case's status; for a closed case, reopen it (its managers, with a reason)."""
    case = selectors.case_get_for_user(request.user, reference=reference)
    reopening = access.can_reopen_case(request.user, case)
    _deny_unless(reopening or access.can_manage_case(request.user, case))
    form = TransitionForm(request.POST or None, case=case)
    if form.is_valid():
        change = call_service(
            form, services.case_transition, actor=request.user, case=case, **form.cleaned_data
        )
        if change is not None:
            done = _("The case was reopened.") if reopening else _("The status was changed.")
            messages.success(request, done)
            return redirect("case_detail", reference=case.reference)
    context = {"form": form, "case": case, "reopening": reopening}
    return render(request, "cases/transition_form.html", context)


@login_required
@require_POST
def case_follow_toggle(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, reference=reference)
    if request.POST.get("follow") == "1":
        case_follow(case=case, user=request.user)
        messages.success(request, _("You follow this case."))
    else:
        case_unfollow(case=case, user=request.user)
        messages.success(request, _("You no longer follow this case."))
    return redirect("case_detail", reference=case.reference)


@login_required
def participation_invite(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, reference=reference)
    _deny_unless(access.can_manage_case(request.user, case))
    form = InviteForm(request.POST or None, case=case)
    if form.is_valid():
        participation = call_service(
            form, services.participation_invite, actor=request.user, case=case, **form.cleaned_data
        )
        if participation is not None:
            messages.success(request, _("The organisation was invited."))
            return redirect("case_detail", reference=case.reference)
    return render(request, "cases/invite_form.html", {"form": form, "case": case})
