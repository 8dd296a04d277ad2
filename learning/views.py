"""Pages of the obstacle register: a case's obstacles, recording one, and the committee's
register of groups with their escalation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.models import Organisation
from cases import access
from cases import selectors as case_selectors
from cases.views.common import call_service, paginate

from . import selectors, services
from .forms import EscalateForm, ObstacleForm, ResponseForm


def case_obstacles(request: HttpRequest, reference: str) -> HttpResponse:
    """A case's obstacles, newest first, paged; seen by whoever sees the case."""
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    page = paginate(request, selectors.obstacles_of_case(case))
    context = {
        "case": case,
        "page": page,
        "obstacles": page,
        "can_record": services.can_record_obstacle(request.user, case),
        "is_committee": access.is_committee(request.user),
    }
    return render(request, "learning/case_obstacles.html", context)


@login_required
def obstacle_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    if not services.can_record_obstacle(request.user, case):
        raise PermissionDenied
    participants = Organisation.objects.filter(
        pk__in=list(access.active_participant_ids(case))
    ).order_by("name")
    form = ObstacleForm(request.POST or None, participants=participants)
    if form.is_valid():
        obstacle = call_service(
            form, services.obstacle_record, actor=request.user, case=case, **form.cleaned_data
        )
        if obstacle is not None:
            messages.success(request, _("The obstacle was recorded."))
            return redirect("case_obstacles", reference=case.reference)
    return render(request, "learning/obstacle_form.html", {"form": form, "case": case})


@login_required
def obstacle_register(request: HttpRequest) -> HttpResponse:
    """The committee's register: obstacle groups by the number of cases they hold back."""
    page = paginate(request, selectors.obstacle_groups_for_user(request.user))
    return render(request, "learning/obstacle_register.html", {"page": page, "groups": page})


@login_required
def obstacle_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.obstacle_group_get_for_user(request.user, pk=pk)
    escalate = EscalateForm(
        request.POST if request.POST.get("form") == "escalate" else None,
        prefix="escalate",
        initial={
            "escalated_to": group.escalated_to,
            "decision_reference": group.decision_reference,
        },
    )
    respond = ResponseForm(
        request.POST if request.POST.get("form") == "respond" else None, prefix="respond"
    )
    if request.method == "POST":
        done = None
        if escalate.is_bound and escalate.is_valid():
            done = call_service(
                escalate,
                services.obstacle_group_escalate,
                actor=request.user,
                group=group,
                **escalate.cleaned_data,
            )
            message = _("The obstacle was escalated; the cases' coordinators are told.")
        elif respond.is_bound and respond.is_valid():
            done = call_service(
                respond,
                services.obstacle_group_respond,
                actor=request.user,
                group=group,
                **respond.cleaned_data,
            )
            message = _("The answer was recorded; the cases' coordinators are told.")
        if done is not None:
            messages.success(request, message)
            return redirect("obstacle_group", pk=group.pk)
    page = paginate(request, selectors.obstacles_of_group(group))
    context = {
        "group": group,
        "page": page,
        "obstacles": page,
        "escalate_form": escalate,
        "respond_form": respond,
    }
    return render(request, "learning/obstacle_group.html", context)
