"""Pages of measurement review and of editing, removing and archiving an outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access, selectors, services
from ..choices import ReviewState
from ..formatting import format_figure
from ..forms import OutcomeForm
from ..forms_measurements import MeasurementCorrectForm, MeasurementReviewForm, ReasonForm
from ..models import Measurement, Outcome
from .common import call_service, expected_version
from .work import _deny_unless


def _back_to(outcome: Outcome) -> str:
    path = reverse("case_detail", kwargs={"reference": outcome.case.reference})
    return f"{path}#outcome-{outcome.pk}"


def _page(request: HttpRequest, form: object, measurement: Measurement, **extra: object):
    outcome = measurement.outcome
    context = {
        "form": form,
        "case": outcome.case,
        "outcome": outcome,
        "measurement": measurement,
        "figure": format_figure(measurement.value, outcome),
        "cancel_url": _back_to(outcome),
        **extra,
    }
    return render(request, "cases/measurement_review.html", context)


@login_required
def measurement_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a submitted value or return it with a comment."""
    measurement = selectors.measurement_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_review_measurement(request.user, measurement))
    form = MeasurementReviewForm(request.POST or None)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == MeasurementReviewForm.APPROVE
        if approve:
            done = call_service(
                form, services.measurement_approve, actor=request.user, measurement=measurement
            )
        else:
            done = call_service(
                form,
                services.measurement_return,
                actor=request.user,
                measurement=measurement,
                comment=form.cleaned_data["comment"],
            )
        if done is not None:
            messages.success(
                request, _("The value was approved.") if approve else _("The value was returned.")
            )
            return redirect(_back_to(measurement.outcome))
    return _page(
        request,
        form,
        measurement,
        heading=_("Review a value"),
        submit_label=_("Save the decision"),
    )


@login_required
def measurement_correct(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = selectors.measurement_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_correct_measurement(request.user, measurement))
    form = MeasurementCorrectForm(request.POST or None, instance=measurement)
    if form.is_valid():
        done = call_service(
            form,
            services.measurement_correct,
            actor=request.user,
            measurement=measurement,
            data=form.service_data(),
            reason=form.cleaned_data["reason"],
            expected_version=expected_version(form),
        )
        if done is not None:
            messages.success(request, _("The value was corrected."))
            return redirect(_back_to(measurement.outcome))
    return _page(
        request,
        form,
        measurement,
        heading=_("Correct a value"),
        submit_label=_("Save the correction"),
    )


@login_required
def measurement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = selectors.measurement_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_withdraw_measurement(request.user, measurement))
    form = ReasonForm(request.POST or None)
    if form.is_valid():
        done = call_service(
            form,
            services.measurement_withdraw,
            actor=request.user,
            measurement=measurement,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("The value was withdrawn."))
            return redirect(_back_to(measurement.outcome))
    return _page(
        request,
        form,
        measurement,
        heading=_("Withdraw a value"),
        submit_label=_("Withdraw the value"),
    )


@login_required
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = selectors.outcome_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_manage_outcomes(request.user, outcome.case))
    form = OutcomeForm(request.POST or None, instance=outcome)
    if form.is_valid():
        done = call_service(
            form,
            services.outcome_update,
            actor=request.user,
            outcome=outcome,
            data=form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("The outcome was saved."))
            return redirect(_back_to(outcome))
    context = {"form": form, "case": outcome.case, "outcome": outcome, "editing": True}
    return render(request, "cases/outcome_form.html", context)


@login_required
def outcome_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an outcome; once approved values exist, archive it instead (they counted)."""
    outcome = selectors.outcome_get_for_user(request.user, pk=pk)
    _deny_unless(access.can_manage_outcomes(request.user, outcome.case))
    archive = any(m.review_state == ReviewState.APPROVED for m in outcome.measurements.all())
    form = ReasonForm(request.POST or None)
    if form.is_valid():
        service = services.outcome_archive if archive else services.outcome_remove
        reason = form.cleaned_data["reason"]
        if call_service(form, service, actor=request.user, outcome=outcome, reason=reason) or (
            not archive and not form.errors
        ):
            messages.success(
                request,
                _("The outcome was archived.") if archive else _("The outcome was removed."),
            )
            return redirect("case_detail", reference=outcome.case.reference)
    context = {
        "form": form,
        "case": outcome.case,
        "outcome": outcome,
        "archive": archive,
        "cancel_url": _back_to(outcome),
        "submit_label": _("Archive the outcome") if archive else _("Remove the outcome"),
    }
    return render(request, "cases/outcome_remove.html", context)
