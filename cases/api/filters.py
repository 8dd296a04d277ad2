from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from cases.choices import ActionStatus, CaseStatus, Direction, Priority, Visibility
from cases.models import Action, Case, Outcome
from cases.selectors import case_list_filter


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    theme = django_filters.CharFilter(label="Theme slug", method="via_selector")
    coordinator = django_filters.NumberFilter(field_name="coordinator_id")
    region_code = django_filters.CharFilter(
        label="County code of an area in scope (national cases always match)",
        method="via_selector",
    )
    organisation = django_filters.NumberFilter(
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


class ActionFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    lead_organisation = django_filters.NumberFilter(field_name="lead_organisation_id")
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Past due and still open")
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


class OutcomeFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    direction = django_filters.ChoiceFilter(choices=Direction.choices)

    class Meta:
        model = Outcome
        fields = ["case", "direction"]
