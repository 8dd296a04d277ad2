from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from cases.access import visible_cases
from cases.models import Case

from .choices import ItemKind
from .models import ITEM_TEXT_MAX_LENGTH, MINUTES_MAX_LENGTH, Meeting
from .selectors import meetings_open_for_proposals


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "link"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        return obj.get_full_name() or obj.get_username()


class AttendanceForm(forms.Form):
    present = MemberChoiceField(
        label=_("Members present"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = meeting.expected_members.order_by(
            "first_name", "last_name", "id"
        )
        self.fields["present"].initial = list(meeting.present_members.values_list("pk", flat=True))


class CaseReferenceField(forms.CharField):
    """A case by its reference (SAM-2026-0042), among those the user may see: no drop-down of
    thousands of cases."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=40, **kwargs)
        self.user: AbstractBaseUser | None = None

    def clean(self, value: Any) -> Case | None:
        reference = (super().clean(value) or "").strip().upper()
        if not reference:
            return None
        case = visible_cases(self.user).filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(_("No case with this reference."))
        return case


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    case = CaseReferenceField(
        label=_("Case reference"),
        required=False,
        help_text=_("For a status report or a proposal, e.g. SAM-2026-0001."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=ITEM_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].user = user  # type: ignore[attr-defined]


class ProposeForm(ItemForm):
    """A coordinator's proposal for one of the coming meetings."""

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in ItemKind.choices if c[0] != ItemKind.OTHER]
    )
    case = CaseReferenceField(label=_("Case reference"))
    field_order = ["meeting", "case", "kind", "title", "description"]

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        upcoming = Meeting.objects.filter(pk__in=[m.pk for m in meetings_open_for_proposals()])
        self.fields["meeting"].queryset = upcoming.order_by("starts_at", "id")
        first = self.fields["meeting"].queryset.first()
        if first is not None:
            self.fields["meeting"].initial = first.pk


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not taken up"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), max_length=MINUTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )


class CorrectionForm(MinutesForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
