"""Pages of the effect follow-ups: reporting a follow-up value (its review is the usual one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Organisation
from cases import selectors as case_selectors
from cases.views.common import call_service

from . import selectors, services
from .forms import FollowUpReportForm


@login_required
def followup_report(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """The lead organisation reports an outcome's value at a follow-up point of a closed case."""
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    followup = selectors.followup_get_for_case(case, pk=pk)
    followup.case = case
    if not services.can_report_followup(request.user, followup):
        raise PermissionDenied
    organisations = Organisation.objects.filter(
        pk__in=services.reporting_organisation_ids(request.user, case)
    ).order_by("name")
    form = FollowUpReportForm(request.POST or None, organisations=organisations)
    back = reverse("case_detail", kwargs={"reference": case.reference}) + "#effects"
    if form.is_valid():
        done = call_service(
            form,
            services.followup_report,
            actor=request.user,
            followup=followup,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(
                request, _("The follow-up value was reported; it counts once approved.")
            )
            return redirect(back)
    context = {"form": form, "case": case, "followup": followup, "cancel_url": back}
    return render(request, "followups/followup_report.html", context)
