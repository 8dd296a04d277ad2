from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from cases.choices import ActionStatus, CaseStatus, Direction, Priority, Visibility
from cases.models import Action, Case, Outcome
from cases.selectors import case_list_filter
from config.api.filters import StrictFilterSet

MAX_ID = 2**63 - 1


# The schema states the same bounds the form field checks, so a documented value is never a 400.
@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number in the database's range (else 400, never an overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class CaseFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    theme = django_filters.CharFilter(label="Theme slug", method="via_selector")
    coordinator = IdFilter(field_name="coordinator_id")
    region_code = django_filters.CharFilter(
        label="County code of an area in scope (national cases always match)",
        method="via_selector",
    )
    organisation = IdFilter(
        label="Id of an organisation actively taking part", method="via_selector"
    )
    q = django_filters.CharFilter(
        label="Text in title, summary or reference", method="via_selector"
    )

    class Meta:
        model = Case
        fields = ["status", "visibility", "priority", "is_national"]

    def via_selector(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return case_list_filter(queryset, {name: value})


class ActionFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    lead_organisation = IdFilter(field_name="lead_organisation_id")
    assignee = IdFilter(field_name="assignee_id")
    overdue = extend_schema_field({"type": "boolean"})(
        django_filters.BooleanFilter(method="filter_overdue", label="Past due and still open")
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Action
        fields = ["case", "status", "lead_organisation", "assignee"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Action.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class OutcomeFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")
    direction = django_filters.ChoiceFilter(choices=Direction.choices)

    class Meta:
        model = Outcome
        fields = ["case", "direction"]
