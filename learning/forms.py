from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from cases.forms import DateInput

from .choices import ObstacleKind
from .models import TEXT_MAX_LENGTH


class ObstacleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ObstacleKind.choices)
    statute = forms.CharField(
        label=_("Statute and section"),
        required=False,
        max_length=200,
        help_text=_(
            "For a legal obstacle: the law, chapter and section, e.g. “OSL 25 kap. 1 §”. "
            "The same provision on other cases is grouped with this one."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    effect = forms.CharField(
        label=_("Effect on the case"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the obstacle stops or delays, and for whom."),
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What would remove it: a change of rule, a decision, an agreement."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations affected"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The case's participants: a few dozen at most, never the directory.
        self.fields["organisations"].queryset = participants

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ObstacleKind.LEGAL and not (data.get("statute") or "").strip():
            self.add_error("statute", _("Cite the statute and section, e.g. “OSL 25 kap. 1 §”."))
        return data


class EscalateForm(forms.Form):
    escalated_to = forms.CharField(
        label=_("Escalated to"),
        max_length=200,
        help_text=_("E.g. the Ministry of Justice, the Government Offices, an agency."),
    )
    escalated_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        required=False,
        max_length=100,
        help_text=_("The committee's decision to escalate, e.g. “2026:14”."),
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Answer received"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    response_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
