"""Pages of an organisation's part in a case: the invitation and its answer, mandate, contact,
role, withdrawal."""

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
from ..forms_participation import (
    InvitationAnswerForm,
    ParticipationEditForm,
    ParticipationWithdrawForm,
)
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


def _answer(request: HttpRequest, form: InvitationAnswerForm, participation: Participation) -> bool:
    data = form.cleaned_data
    if data["answer"] == InvitationAnswerForm.ACCEPT:
        answered = call_service(
            form,
            services.participation_accept,
            actor=request.user,
            participation=participation,
            contact_person=data["contact_person"],
            mandate=data["mandate"],
        )
    else:
        answered = call_service(
            form,
            services.participation_decline,
            actor=request.user,
            participation=participation,
            reason=data["reason"],
        )
    return answered is not None


def _acknowledge(request: HttpRequest, participation: Participation) -> HttpResponse:
    if not access.can_acknowledge_answer(request.user, participation):
        raise PermissionDenied
    services.participation_acknowledge(actor=request.user, participation=participation)
    messages.success(request, _("The answer was acknowledged; it can no longer be changed."))
    return redirect(reverse("invitation_answer", args=[participation.pk]))


def _invitation_context(
    request: HttpRequest, participation: Participation, form: InvitationAnswerForm | None
) -> dict[str, object]:
    user, case = request.user, participation.case
    return {
        "form": form,
        "participation": participation,
        "case": case,
        "scope_areas": list(case.scope_areas.order_by("name")),
        "participants": selectors.invitation_participants(case, participation),
        "can_view_case": access.can_view_case(user, case),
        "can_acknowledge": access.can_acknowledge_answer(user, participation),
        "changeable": access.answer_changeable(participation),
        "submit_label": _("Send the answer"),
    }


@login_required
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation's page: the case's overview, participants and the proposed role and
    mandate (not its actions, outcomes or timeline), for the invited organisation's members
    while it decides and for whoever sees the case; its admins answer here, or change the answer
    while it may change, and the case's managers acknowledge the answer."""
    participation = selectors.participation_get_for_user(request.user, pk=pk)
    if request.method == "POST" and "acknowledge" in request.POST:
        return _acknowledge(request, participation)
    form = None
    if access.can_respond_to_invitation(request.user, participation):
        form = InvitationAnswerForm(request.POST or None, participation=participation)
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and form.is_valid() and _answer(request, form, participation):
        messages.success(request, _("Your answer was recorded."))
        return redirect(reverse("invitation_answer", args=[participation.pk]))
    context = _invitation_context(request, participation, form)
    return render(request, "cases/invitation_form.html", context)
