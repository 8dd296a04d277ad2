"""Forms of measurement review and of editing and removing an outcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import Measurement


def _reason(label: Any, help_text: Any = "") -> forms.CharField:
    # Not required here: the service says what is missing, by the field, in one place.
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeasurementReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve: the value counts from now on")),
            (RETURN, _("Return it to the reporter")),
        ],
        widget=forms.RadioSelect,
    )
    comment = _reason(
        _("Comment to the reporter"), _("Required when you return the value: what to check.")
    )


class MeasurementCorrectForm(forms.ModelForm):
    reason = _reason(_("Reason for the correction"), _("Kept in the history with the old value."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measurement
        fields = ["value", "measured_on", "note"]
        widgets = {"measured_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass  # the service validates the model (see CaseForm._post_clean)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReasonForm(forms.Form):
    reason = _reason(_("Reason"))
