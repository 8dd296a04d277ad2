from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import REASON_MAX_LENGTH

from .reading import MAX_FILE_BYTES, MAX_ROWS


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV or XLSX file in the columns of the measurements export, at most %(rows)s rows "
            "and 5 MB. A row with a measurement id corrects that value; a row without one "
            "reports a new value."
        )
        % {"rows": MAX_ROWS},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ImportConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the values corrected?"),
        help_text=_("Kept with each corrected value in its history."),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
