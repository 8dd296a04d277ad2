"""The case tracker's lists as exports: cases, a case's actions, participants and outcomes,
measurements, and an organisation admin's webhook delivery log.

Each reads through the selector of its page (access included: what the page would answer 404
to, the export answers 404 to), in the page's order, with the page's filters, a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from cases import access, selectors
from cases.choices import (
    ActionStatus,
    CaseStatus,
    Direction,
    ParticipationRole,
    ParticipationState,
    Priority,
    ReviewState,
    Visibility,
)
from cases.forms import CaseFilterForm
from cases.models import Case, Measurement, Outcome
from notifications.webhooks.choices import DeliveryState
from notifications.webhooks.selectors import delivery_list_for_user

from .registry import (
    CHUNK_SIZE,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    Column,
    ExportList,
    export_register,
)

CURRENT_STATES = (ParticipationState.INVITED, ParticipationState.ACTIVE)


def _labels(choices: Any) -> dict[str, str]:
    """Choice labels in the language of the request (read once per export, not per row)."""
    return {value: str(label) for value, label in choices.choices}


def _read(
    queryset: QuerySet, fields: Sequence[str], labelled: dict[int, dict[str, str]]
) -> Iterator[tuple]:
    """The rows of `fields`, a chunk at a time, with coded values replaced by their labels."""
    for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        if labelled:
            row = tuple(labelled[i].get(v, v) if i in labelled else v for i, v in enumerate(row))
        yield row


def _case(request: HttpRequest) -> Case:
    reference = request.GET.get("case", "")
    if not reference:
        raise Http404("Which case?")
    return selectors.case_get_for_user(request.user, reference=reference[:40])


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404(f"No such {name}")
    return int(value)


# Cases ------------------------------------------------------------------------------------

CASE_COLUMNS = [
    Column("reference", _("Reference")),
    Column("title", _("Title")),
    Column("summary", _("Summary")),
    Column("status", _("Status")),
    Column("theme", _("Theme")),
    Column("priority", _("Priority")),
    Column("visibility", _("Visibility")),
    Column("national", _("National scope")),
    Column("start_date", _("Start date"), DATE),
    Column("target_date", _("Target date"), DATE),
    Column("created_at", _("Registered"), DATETIME),
]


def case_rows(request: HttpRequest) -> Iterable[tuple]:
    """The case list page's cases with its filters (an invalid filter is ignored, as there)."""
    form = CaseFilterForm(request.GET or None, enhanced=False)
    filters = form.selector_filters() if form.is_bound and form.is_valid() else {}
    cases = selectors.case_list_filtered(request.user, filters=filters).order_by(
        "-created_at", "-id"
    )
    yes_no = {True: str(_("Yes")), False: str(_("No"))}
    fields = [
        "reference",
        "title",
        "summary",
        "status",
        "theme__name",
        "priority",
        "visibility",
        "is_national",
        "start_date",
        "target_date",
        "created_at",
    ]
    labels = {3: _labels(CaseStatus), 5: _labels(Priority), 6: _labels(Visibility), 7: yes_no}
    return _read(cases, fields, labels)


# A case's actions -------------------------------------------------------------------------

ACTION_COLUMNS = [
    Column("id", _("Action id"), INTEGER),
    Column("case", _("Case")),
    Column("title", _("Title")),
    Column("status", _("Status")),
    Column("lead_organisation", _("Lead organisation")),
    Column("start_date", _("Start date"), DATE),
    Column("due_date", _("Due date"), DATE),
    Column("completed_at", _("Completed"), DATETIME),
]


def action_rows(request: HttpRequest) -> Iterable[tuple]:
    """A case's actions (`?status=`: of one status, as on the status's page), soonest due."""
    case = _case(request)
    actions = case.actions.all()
    status = request.GET.get("status", "")
    if status:
        if status not in ActionStatus.values:
            raise Http404("No such status")
        actions = actions.filter(status=status)
    fields = [
        "pk",
        "case__reference",
        "title",
        "status",
        "lead_organisation__name",
        "start_date",
        "due_date",
        "completed_at",
    ]
    return _read(actions.order_by("due_date", "id"), fields, {3: _labels(ActionStatus)})


# A case's participants --------------------------------------------------------------------

PARTICIPANT_COLUMNS = [
    Column("organisation", _("Organisation")),
    Column("organisation_number", _("Organisation number")),
    Column("role", _("Role")),
    Column("state", _("State")),
    Column("mandate", _("Mandate")),
    Column("invited_at", _("Invited"), DATETIME),
    Column("responded_at", _("Answered"), DATETIME),
]


def participant_rows(request: HttpRequest) -> Iterable[tuple]:
    """The organisations taking part in a case (`?state=former`: those that declined or left)."""
    case = _case(request)
    former = request.GET.get("state") == "former"
    states = [s for s in ParticipationState.values if (s in CURRENT_STATES) != former]
    rows = case.participations.filter(state__in=states).order_by("role", "organisation__name", "id")
    fields = [
        "organisation__name",
        "organisation__organisation_number",
        "role",
        "state",
        "mandate",
        "invited_at",
        "responded_at",
    ]
    labels = {2: _labels(ParticipationRole), 3: _labels(ParticipationState)}
    return _read(rows, fields, labels)


# A case's outcomes ------------------------------------------------------------------------

OUTCOME_COLUMNS = [
    Column("id", _("Outcome id"), INTEGER),
    Column("case", _("Case")),
    Column("title", _("Title")),
    Column("indicator", _("Indicator")),
    Column("unit", _("Unit")),
    Column("direction", _("Direction")),
    Column("baseline_value", _("Baseline value"), NUMBER),
    Column("baseline_date", _("Baseline date"), DATE),
    Column("target_value", _("Target value"), NUMBER),
    Column("target_date", _("Target date"), DATE),
    Column("data_source", _("Data source")),
]


def outcome_rows(request: HttpRequest) -> Iterable[tuple]:
    """A case's current outcomes, as the case page lists them."""
    case = _case(request)
    outcomes = Outcome.objects.filter(case=case, archived_at__isnull=True).order_by("id")
    fields = [
        "pk",
        "case__reference",
        "title",
        "indicator",
        "unit",
        "direction",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "data_source",
    ]
    return _read(outcomes, fields, {5: _labels(Direction)})


# Measurements -----------------------------------------------------------------------------

# The import reads these columns back (by key; the headers in either language).
MEASUREMENT_COLUMNS = [
    Column("id", _("Measurement id"), INTEGER),
    Column("case", _("Case")),
    Column("outcome_id", _("Outcome id"), INTEGER),
    Column("outcome", _("Outcome")),
    Column("unit", _("Unit")),
    Column("measured_on", _("Date"), DATE),
    Column("value", _("Value"), NUMBER),
    Column("organisation", _("Organisation")),
    Column("organisation_number", _("Organisation number")),
    Column("note", _("Note")),
    Column("review_state", _("Review state")),
]
MEASUREMENT_FIELDS = [
    "pk",
    "outcome__case__reference",
    "outcome_id",
    "outcome__title",
    "outcome__unit",
    "measured_on",
    "value",
    "organisation__name",
    "organisation__organisation_number",
    "note",
    "review_state",
]


def measurement_queryset_for(request: HttpRequest) -> QuerySet[Measurement]:
    """Standing values (withdrawn ones live only in history) of one outcome (`?outcome=`), of
    one case (`?case=`) or of every case the user sees; by outcome, newest first."""
    outcome_id = _int_param(request, "outcome")
    values = Measurement.objects.exclude(review_state=ReviewState.WITHDRAWN)
    if outcome_id is not None:
        outcome = selectors.outcome_get_for_user(request.user, pk=outcome_id, values=False)
        values = values.filter(outcome=outcome)
    elif request.GET.get("case"):
        values = values.filter(outcome__case=_case(request))
    else:
        values = values.filter(outcome__case__in=access.visible_cases(request.user))
    return values.order_by("outcome_id", "-measured_on", "-id")


def measurement_rows(request: HttpRequest) -> Iterable[tuple]:
    values = measurement_queryset_for(request)
    return _read(values, MEASUREMENT_FIELDS, {10: _labels(ReviewState)})


# The webhook delivery log -----------------------------------------------------------------

DELIVERY_COLUMNS = [
    Column("id", _("Delivery id"), INTEGER),
    Column("endpoint", _("Endpoint")),
    Column("event", _("Event")),
    Column("case", _("Case")),
    Column("state", _("State")),
    Column("attempts", _("Attempts"), INTEGER),
    Column("last_status", _("Last status"), INTEGER),
    Column("last_error", _("Last error")),
    Column("created_at", _("Created"), DATETIME),
    Column("delivered_at", _("Delivered"), DATETIME),
]


def delivery_rows(request: HttpRequest) -> Iterable[tuple]:
    """The deliveries to the webhook endpoints of the organisations the user administers
    (`?state=`, `?endpoint=` as in the API's filter, `?organisation=`), newest first; nobody
    else's."""
    deliveries = delivery_list_for_user(request.user).prefetch_related(None)
    state = request.GET.get("state", "")
    if state:
        if state not in DeliveryState.values:
            raise Http404("No such state")
        deliveries = deliveries.filter(state=state)
    endpoint = _int_param(request, "endpoint")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint_id=endpoint)
    organisation = _int_param(request, "organisation")
    if organisation is not None:
        deliveries = deliveries.filter(endpoint__organisation_id=organisation)
    fields = [
        "pk",
        "endpoint__url",
        "event__kind",
        "event__case__reference",
        "state",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    return _read(deliveries.order_by("-id"), fields, {4: _labels(DeliveryState)})


def _with_case(stem: str) -> Any:
    return lambda request: f"{stem}-{request.GET.get('case', '')}".strip("-")[:60]


def register_case_lists() -> None:
    export_register(
        ExportList(
            "cases",
            _("Cases"),
            CASE_COLUMNS,
            case_rows,
            login_required=False,
            name=lambda request: "cases",
        )
    )
    export_register(
        ExportList("actions", _("Actions"), ACTION_COLUMNS, action_rows, name=_with_case("actions"))
    )
    export_register(
        ExportList(
            "participants",
            _("Participants"),
            PARTICIPANT_COLUMNS,
            participant_rows,
            name=_with_case("participants"),
        )
    )
    export_register(
        ExportList(
            "outcomes", _("Outcomes"), OUTCOME_COLUMNS, outcome_rows, name=_with_case("outcomes")
        )
    )
    export_register(
        ExportList(
            "measurements",
            _("Measurements"),
            MEASUREMENT_COLUMNS,
            measurement_rows,
            name=_with_case("measurements"),
        )
    )
    export_register(
        ExportList(
            "webhook-deliveries",
            _("Webhook deliveries"),
            DELIVERY_COLUMNS,
            delivery_rows,
            name=lambda request: "webhook-deliveries",
        )
    )
