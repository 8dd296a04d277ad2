"""Pages that change an organisation's part in a case: mandate, contact, role, withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access, selectors, services
from ..access import CURRENT_PARTICIPATION_STATES, AnyUser
from ..forms_participation import ParticipationEditForm, ParticipationWithdrawForm
from ..models import Case, Participation
from .common import call_service


def _editable_participation(request: HttpRequest, pk: int) -> Participation:
    """404 for what the user may not see, 403 for what they see but may not change."""
    participation = selectors.participation_get_for_user(request.user, pk=pk)
    if not access.can_edit_participation(request.user, participation):
        raise PermissionDenied
    return participation


def _case_url(participation: Participation) -> str:
    return reverse("case_detail", args=[participation.case.reference]) + "#participants"


def _after_withdrawal_url(user: AnyUser, participation: Participation) -> str:
    """The case page, unless the user saw the case only through the organisation that has just
    withdrawn: it is gone for them, so they land on their dashboard instead of a 404."""
    case = Case.objects.get(pk=participation.case_id)  # afresh: who takes part has changed
    return _case_url(participation) if access.can_view_case(user, case) else reverse("dashboard")


def _context(participation: Participation, form: object) -> dict[str, object]:
    return {
        "form": form,
        "participation": participation,
        "case": participation.case,
        "cancel_url": _case_url(participation),
    }


@login_required
def participation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _editable_participation(request, pk)
    can_set_role = access.can_manage_case(request.user, participation.case)
    form = ParticipationEditForm(
        request.POST or None, participation=participation, can_set_role=can_set_role
    )
    if form.is_valid():
        updated = call_service(
            form,
            services.participation_update,
            actor=request.user,
            participation=participation,
            data=form.service_data(),
        )
        if updated is not None:
            messages.success(request, _("The participation was saved."))
            return redirect(_case_url(participation))
    return render(request, "cases/participation_form.html", _context(participation, form))


@login_required
def participation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _editable_participation(request, pk)
    form = ParticipationWithdrawForm(request.POST or None)
    if form.is_valid():
        withdrawn = call_service(
            form,
            services.participation_withdraw,
            actor=request.user,
            participation=participation,
            reason=form.cleaned_data["reason"],
        )
        if withdrawn is not None:
            message = _("%(organisation)s has withdrawn from the case.")
            messages.success(
                request, message % {"organisation": participation.organisation.display_name}
            )
            return redirect(_after_withdrawal_url(request.user, participation))
    context = _context(participation, form)
    context["is_current"] = participation.state in CURRENT_PARTICIPATION_STATES
    return render(request, "cases/participation_withdraw.html", context)
