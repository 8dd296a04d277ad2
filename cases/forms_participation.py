"""Web forms for an organisation's part in a case: mandate, contact person, role, withdrawal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from agencies.person_picker import PersonPicker

from .choices import ParticipationRole, ParticipationState
from .forms import UserChoiceField
from .models import LONG_TEXT_MAX_LENGTH, REASON_MAX_LENGTH, Participation

User = get_user_model()


class ParticipationEditForm(forms.Form):
    """Mandate and contact person; the role only for the case's managers (`can_set_role`)."""

    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices)
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation has the room to decide and commit (handlingsutrymme)."),
    )
    contact_person = UserChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No contact person"),
        widget=PersonPicker(),
        help_text=_("A member of the organisation; they follow the case automatically."),
    )

    def __init__(
        self, *args: Any, participation: Participation, can_set_role: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "role": participation.role,
                "mandate": participation.mandate,
                "contact_person": participation.contact_person_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = User.objects.filter(
            memberships__organisation_id=participation.organisation_id
        ).order_by("first_name", "last_name", "username")
        self.fields["contact_person"].widget.limit_to(
            organisation_ids=[participation.organisation_id]
        )
        if not can_set_role:
            del self.fields["role"]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class ParticipationWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown in the case's timeline."),
    )


class InvitationAnswerForm(forms.Form):
    """Accept (with contact person and mandate) or decline (with a reason) an invitation; also
    the form that changes an answer while it may still change."""

    ACCEPT, DECLINE = "accept", "decline"
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    contact_person = UserChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        widget=PersonPicker(),
        help_text=_("When accepting: a member of your organisation who follows the case."),
    )
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When accepting: what your organisation has the room to decide and commit."),
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when declining. The case's coordinator reads it."),
    )

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = User.objects.filter(
            memberships__organisation_id=participation.organisation_id
        ).order_by("first_name", "last_name", "username")
        self.fields["contact_person"].widget.limit_to(
            organisation_ids=[participation.organisation_id]
        )
        self.fields["mandate"].initial = participation.mandate
        self.fields["contact_person"].initial = participation.contact_person_id
        if participation.state != ParticipationState.INVITED:
            # A change of answer: only the other answer is on offer.
            accepted = participation.state == ParticipationState.ACTIVE
            current = self.ACCEPT if accepted else self.DECLINE
            self.fields["answer"].choices = [
                c for c in self.fields["answer"].choices if c[0] != current
            ]
            self.fields["answer"].label = _("New answer")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("answer") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why your organisation declines."))
        return data
