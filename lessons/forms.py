from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Theme

from .models import TEXT_MAX_LENGTH, WAY_MAX_LENGTH
from .sectors import sector_mix_label


class LessonForm(forms.Form):
    way_of_working = forms.CharField(
        label=_("Way of working"),
        max_length=WAY_MAX_LENGTH,
        help_text=_(
            "E.g. “joint case conference police–social services” or “shared data on school "
            "absence”."
        ),
    )
    what_worked = forms.CharField(
        label=_("What worked"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    what_did_not = forms.CharField(
        label=_("What did not work"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write what worked, what did not, or both."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not (data.get("what_worked") or "").strip()
            and not (data.get("what_did_not") or "").strip()
        ):
            self.add_error("what_worked", _("Write what worked, what did not, or both."))
        return data


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    sector_mix = forms.ChoiceField(label=_("Sector mix"), required=False)

    def __init__(self, *args: Any, mixes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector_mix"].choices = [("", _("All sector mixes"))] + [
            (key, sector_mix_label(key)) for key in mixes
        ]
