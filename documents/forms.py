"""Forms for attaching, replacing and removing files; a refused upload is an error by its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.models import REASON_MAX_LENGTH

from .models import TITLE_MAX_LENGTH
from .services import too_large_message
from .uploads import limit_in_megabytes, refused_too_large


def _file_help() -> str:
    return str(
        _(
            "PDF, Word, Excel, PowerPoint or OpenDocument file, image, CSV or plain text; "
            "at most %(limit)s MB."
        )
        % {"limit": limit_in_megabytes()}
    )


class UploadForm(forms.Form):
    """The file field knows whether the upload was stopped for its size (documents/uploads.py)."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["file"].help_text = _file_help()

    def clean_file(self) -> Any:
        if refused_too_large(self.request, "file"):
            raise forms.ValidationError(too_large_message())
        return self.cleaned_data.get("file")

    @property
    def refused_for_size(self) -> bool:
        return refused_too_large(self.request, "file")


class AttachmentForm(UploadForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def full_clean(self) -> None:
        super().full_clean()
        # A file stopped for its size never arrived: say why rather than "required".
        if self.is_bound and self.refused_for_size:
            self.errors["file"] = self.error_class([too_large_message()])
            self.cleaned_data.pop("file", None)


class ReplaceForm(AttachmentForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Leave empty to keep the title."),
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
