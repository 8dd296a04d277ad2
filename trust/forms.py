from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import SafeModelChoiceField

from .choices import QUESTIONS, Principle
from .models import COMMENT_MAX_LENGTH, INTERVAL_CHOICES

SCORES = [(str(score), str(score)) for score in range(1, 6)]


class AnswerForm(forms.Form):
    """A score from 1 (not at all) to 5 (fully) for each principle, each with a comment."""

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = SafeModelChoiceField(
            label=_("Answering for"),
            queryset=organisations,
            empty_label=None,
        )
        choices = list(organisations[:2])
        self.only = choices[0] if len(choices) == 1 else None
        if self.only is not None:  # answering for the one organisation asked: nothing to choose
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = False
        for principle in Principle:
            self.fields[principle.value] = forms.TypedChoiceField(
                label=principle.label,
                help_text=QUESTIONS[principle],
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"{principle.value}_comment"] = forms.CharField(
                label=_("Comment on %(principle)s (optional)") % {"principle": principle.label},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def principle_fields(self) -> list[tuple[Any, Any]]:
        return [(self[p.value], self[f"{p.value}_comment"]) for p in Principle]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation_id": (data.get("organisation") or self.only).pk,
            "scores": {p.value: data[p.value] for p in Principle},
            "comments": {p.value: data[f"{p.value}_comment"] for p in Principle},
        }


class IntervalForm(forms.Form):
    interval_months = forms.TypedChoiceField(
        label=_("Ask the organisations"), choices=INTERVAL_CHOICES, coerce=int
    )
