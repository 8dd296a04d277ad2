from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, SafeModelChoiceField, user_label
from cases.models import Case

from . import selectors
from .choices import DecidedBy
from .models import DECISION_TEXT_MAX_LENGTH, Decision

MAX_YEAR = 9999


class DecisionForm(forms.Form):
    """A decision on one case; the meeting is picked among the recent ones, the delegate among
    the committee's members, the revoked decision among the case's decisions still in force."""

    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    meeting = SafeModelChoiceField(
        label=_("Meeting"),
        queryset=None,
        required=False,
        empty_label=_("None: decided between meetings"),
        help_text=_("The committee's meetings of the last twelve months."),
    )
    decided_by = forms.ChoiceField(
        label=_("Decided by"), choices=DecidedBy.choices, initial=DecidedBy.COMMITTEE
    )
    delegate = SafeModelChoiceField(
        label=_("Delegate"),
        queryset=None,
        required=False,
        help_text=_("Only for a decision taken by delegation: the member who took it."),
    )
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DECISION_TEXT_MAX_LENGTH,
    )
    revokes = SafeModelChoiceField(
        label=_("Revokes"),
        queryset=None,
        required=False,
        empty_label=_("No earlier decision"),
        help_text=_("An earlier decision on this case that this decision revokes."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        meeting = self.fields["meeting"]
        meeting.queryset = selectors.recent_meetings()
        meeting.label_from_instance = _meeting_label
        delegate = self.fields["delegate"]
        delegate.queryset = selectors.committee_members()
        delegate.label_from_instance = user_label
        revokes = self.fields["revokes"]
        revokes.queryset = selectors.revocable_decisions(case)
        revokes.label_from_instance = _decision_label

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _meeting_label(meeting: Any) -> str:
    return f"{date_format(timezone.localtime(meeting.starts_at), 'SHORT_DATE_FORMAT')} {meeting}"


def _decision_label(decision: Decision) -> str:
    text = " ".join(decision.text.split())
    return f"{decision.reference}: {text[:80]}{'…' if len(text) > 80 else ''}"


class DecisionFilterForm(forms.Form):
    """The register's filters: a year, and a case by its reference (never a list of cases)."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=1, max_value=MAX_YEAR)
    case = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=20,
        help_text=_("For example SAM-2026-0001."),
    )
