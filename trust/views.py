"""Pages of the trust self-assessment: a case's trend and answers, its answer form and interval,
and the committee's overview of every case."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Organisation
from cases import selectors as case_selectors
from cases.views.common import call_service, paginate

from . import selectors, services
from .chart import trend_chart
from .choices import Principle
from .forms import AnswerForm, IntervalForm

ROUNDS_PER_PAGE = 12


def _table_rows(rounds: list[Any]) -> list[dict[str, Any]]:
    return [
        {"round": r, "averages": [selectors.round_averages(r).get(p.value) for p in Principle]}
        for r in rounds
    ]


def case_trust(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's trend per principle over its closed rounds, and the reader's own answers."""
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    page = paginate(request, selectors.closed_rounds_of_case(case), per_page=ROUNDS_PER_PAGE)
    rounds = list(page)
    oldest_first = list(reversed(rounds))
    open_round = selectors.open_round_of_case(case)
    shown = [*([open_round] if open_round else []), *rounds]
    asked = services.asked_organisation_ids(request.user, open_round) if open_round else set()
    context = {
        "case": case,
        "page": page,
        "rows": _table_rows(rounds),
        "principles": list(Principle),
        "chart": trend_chart(oldest_first, [selectors.round_averages(r) for r in oldest_first]),
        "open_round": open_round,
        "can_answer": bool(asked),
        "own": selectors.own_answers(request.user, shown),
        "can_change_interval": services.can_change_interval(request.user, case),
        "interval_months": services.interval_months(case),
        "minimum": settings.TRUST_ROUND_MIN_ANSWERS,
    }
    return render(request, "trust/case_trust.html", context)


def _initial(user: Any, open_round: Any, organisation_id: int | None) -> dict[str, Any]:
    for own in selectors.own_answers(user, [open_round]):
        if own.organisation.pk == organisation_id:
            initial: dict[str, Any] = {"organisation": organisation_id}
            initial.update({p: str(s) for p, s in own.scores.items()})
            initial.update({f"{p}_comment": c for p, c in own.comments.items()})
            return initial
    return {"organisation": organisation_id}


@login_required
def trust_answer(request: HttpRequest, reference: str) -> HttpResponse:
    """A member answers for their organisation in the open round (and may change it until the
    deadline)."""
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    open_round = selectors.open_round_of_case(case)
    if open_round is None:
        raise Http404
    asked = services.asked_organisation_ids(request.user, open_round)
    if not asked:
        raise PermissionDenied
    organisations = Organisation.objects.filter(pk__in=asked).order_by("name")
    first = organisations.values_list("pk", flat=True).first()
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial=_initial(request.user, open_round, first),
    )
    if form.is_valid():
        done = call_service(
            form,
            services.trust_answers_submit,
            actor=request.user,
            trust_round=open_round,
            now=timezone.now(),
            **form.service_arguments(),
        )
        if done is not None:
            messages.success(request, _("Your organisation's answers were saved."))
            return redirect("case_trust", reference=case.reference)
    context = {"case": case, "form": form, "open_round": open_round}
    return render(request, "trust/answer_form.html", context)


@login_required
def trust_interval(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_get_for_user(request.user, reference=reference)
    if not services.can_change_interval(request.user, case):
        raise PermissionDenied
    form = IntervalForm(
        request.POST if request.method == "POST" else None,
        initial={"interval_months": services.interval_months(case)},
    )
    if form.is_valid():
        done = call_service(
            form, services.trust_interval_set, actor=request.user, case=case, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("The interval of the trust self-assessment was saved."))
            return redirect("case_trust", reference=case.reference)
    return render(request, "trust/interval_form.html", {"case": case, "form": form})


@login_required
def trust_overview(request: HttpRequest) -> HttpResponse:
    """The committee's overview: each case's latest closed round, and the overall averages."""
    page = paginate(request, selectors.latest_rounds_for_user(request.user))
    overall = selectors.overall_averages_for_user(request.user)
    context = {
        "page": page,
        "rows": _table_rows(list(page)),
        "principles": list(Principle),
        "overall": [overall.get(p.value) for p in Principle],
        "minimum": settings.TRUST_ROUND_MIN_ANSWERS,
    }
    return render(request, "trust/overview.html", context)
