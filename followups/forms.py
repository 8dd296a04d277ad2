from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput


class FollowUpReportForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Reporting organisation"), queryset=None)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["measured_on"].initial = timezone.localdate()
