"""Web forms of the case pages. They only shape input; the services decide and validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.person_picker import PersonPicker
from agencies.widgets import AreaPicker, OrganisationPicker
from cases.services.cases import REOPEN_STATUSES
from cases.services.outcomes import OUTCOME_EDITABLE_FIELDS

from . import access
from .choices import CASE_TRANSITIONS, ActionStatus, CaseStatus, ParticipationRole
from .models import (
    LONG_TEXT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    Case,
    Measurement,
    Outcome,
    Participation,
    Theme,
)

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (others on top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


MAX_ID = 2**63 - 1


def _plausible_key(field: forms.ModelChoiceField, value: Any) -> bool:
    """Could `value` be a key at all? Huge numbers and NUL bytes make databases fail loudly."""
    if value in field.empty_values:
        return True
    text = str(value)
    if "\x00" in text:
        return False
    if field.to_field_name:
        return len(text) <= 200
    return text.isdigit() and 0 < int(text) <= MAX_ID


class SafeModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that answers "not a valid choice" for keys no table can hold."""

    def to_python(self, value: Any) -> Any:
        if not _plausible_key(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for item in value:
            if not _plausible_key(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item).replace("\x00", "")[:50]},
                )
        return super()._check_values(value)


def safe_formfield(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """ModelForm fields for relations use the safe choice fields above."""
    if db_field.many_to_many:
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    elif db_field.many_to_one:
        kwargs.setdefault("form_class", SafeModelChoiceField)
    return db_field.formfield(**kwargs)


def user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class UserChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


def theme_filter_field() -> SafeModelChoiceField:
    """A list filter by theme (its slug in the URL)."""
    return SafeModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Any"),
    )


def region_filter_field() -> SafeModelChoiceField:
    """A list filter by region (its länskod in the URL)."""
    return SafeModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("name"),
        to_field_name="region_code",
        empty_label=_("Any"),
    )


class CaseFilterForm(forms.Form):
    """The case list's filters; invalid values are reported, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *CaseStatus.choices]
    )
    theme = theme_filter_field()
    region = region_filter_field()
    # Type-ahead pickers, not selects: 290 municipalities and thousands of organisations would
    # make every case list page a long drop-down (the picker's no-script fallback is a search).
    municipality = SafeModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY),
        empty_label=_("Any"),
        widget=OrganisationPicker(kinds=(OrganisationKind.MUNICIPALITY,), active_only=False),
    )
    organisation = SafeModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.all(),
        empty_label=_("Any"),
        widget=OrganisationPicker(active_only=False),
    )

    def __init__(self, *args: Any, enhanced: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not enhanced:  # the pickers' search answers signed-in users only
            for name in ("municipality", "organisation"):
                self.fields[name].widget.enhanced = False

    def selector_filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "theme": data["theme"].slug if data.get("theme") else "",
            "region_code": data["region"].region_code if data.get("region") else "",
            "municipality": data["municipality"].pk if data.get("municipality") else None,
            "organisation": data["organisation"].pk if data.get("organisation") else None,
        }


class CaseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    coordinator = UserChoiceField(
        label=_("coordinator"),
        queryset=User.objects.filter(is_active=True).order_by("first_name"),
        required=False,
        widget=PersonPicker(),
    )

    class Meta:
        model = Case
        formfield_callback = safe_formfield
        fields = [
            "title",
            "summary",
            "problem_description",
            "theme",
            "priority",
            "visibility",
            "coordinator",
            "is_national",
            "scope_areas",
            "start_date",
            "target_date",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "target_date": DateInput(),
            "scope_areas": AreaPicker(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        """`user` edits an existing case: the form offers only the decisions they may take."""
        super().__init__(*args, **kwargs)
        self.fields["scope_areas"].queryset = Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.REGION]
        ).order_by("kind", "name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self._limit_decisions(user)

    def _limit_decisions(self, user: Any) -> None:
        case = self.instance
        if not access.can_change_case_field(user, case, "visibility"):
            self.fields["visibility"].disabled = True
            self.fields["visibility"].help_text = _(
                "Only the committee makes a case public or restricted."
            )
        if not access.is_committee(user):
            # The coordinator hands over only to someone who already sees the case.
            self.fields["coordinator"].queryset = _possible_coordinators(case)
            self.fields["coordinator"].widget.limit_to(
                organisation_ids=access.active_participant_ids(case),
                committee=True,
                extra_ids=[case.coordinator_id],
            )
            self.fields["coordinator"].required = True
            self.fields["coordinator"].help_text = _(
                "You may hand coordination over to a committee member or a member of an "
                "organisation taking part in the case; the committee appoints anyone else."
            )
        self.fields["reason"] = forms.CharField(
            label=_("Reason for a new coordinator or visibility"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Required when the coordinator or the visibility changes; recorded in the "
                "case's history and sent to those who follow the case."
            ),
        )

    def _post_clean(self) -> None:
        # Model validation is the service's job (it reports its errors by the fields); the form
        # must not write anything onto the instance a service will compare against.
        pass

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["scope_areas"] = list(data["scope_areas"])
        return data

    def reason(self) -> str:
        return self.cleaned_data.get("reason", "")


def _possible_coordinators(case: Case) -> Any:
    """The current coordinator and everyone who already sees the restricted case."""
    participants = list(access.active_participant_ids(case))
    condition = (
        Q(groups__name=settings.COMMITTEE_GROUP)
        | Q(memberships__organisation_id__in=participants)
        | Q(pk=case.coordinator_id)
    )
    return User.objects.filter(condition, is_active=True).distinct().order_by("first_name")


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        closed = case.status == CaseStatus.CLOSED  # a closed case is reopened
        allowed = REOPEN_STATUSES if closed else CASE_TRANSITIONS[case.status]
        self.fields["to_status"].choices = [c for c in CaseStatus.choices if c[0] in allowed]


def _participants(case: Case) -> Any:
    """Who may lead or contribute to an action: organisations that accepted a working role
    (lead, partner, contributor); observers and the invited are not (the service agrees)."""
    return Organisation.objects.filter(
        participations__case=case,
        participations__state="active",
        participations__role__in=access.WORKING_ROLES,
    ).order_by("name")


def _no_working_organisation_help(case: Case, can_invite: bool) -> str:
    """Why the lead and contributor lists are empty, and a link to what fixes it."""
    case_url = reverse("case_detail", args=[case.reference])
    text = _(
        "No organisation takes part in a working role yet (lead, partner or contributor): only "
        "those lead or contribute to actions. Observers and organisations that have not accepted "
        "their invitation are not listed."
    )
    links = [format_html('<a href="{}#participants">{}</a>', case_url, _("See the participants"))]
    if can_invite:
        invite_url = reverse("participation_invite", args=[case.reference])
        links.insert(0, format_html('<a href="{}">{}</a>', invite_url, _("Invite an organisation")))
    return format_html("{} {}", text, format_html_join(" · ", "{}", ((link,) for link in links)))


class ActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    assignee = UserChoiceField(
        label=_("assignee"), queryset=User.objects.none(), required=False, widget=PersonPicker()
    )

    class Meta:
        model = Action
        formfield_callback = safe_formfield
        fields = [
            "title",
            "description",
            "lead_organisation",
            "contributors",
            "assignee",
            "status",
            "start_date",
            "due_date",
            "depends_on",
        ]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "contributors": forms.CheckboxSelectMultiple,
            "depends_on": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        case: Case,
        lead_ids: set[int] | None = None,
        plan_editable: bool = True,
        **kwargs: Any,
    ) -> None:
        """`lead_ids` limits who may lead (a partner's own organisations), None: any participant.

        Without `plan_editable` (a contributing organisation) only the progress fields are shown.
        """
        super().__init__(*args, **kwargs)
        if not plan_editable:
            self._progress_only()
            return
        participants = _participants(case)
        leads = participants if lead_ids is None else participants.filter(pk__in=lead_ids)
        self.fields["lead_organisation"].queryset = leads
        self.fields["contributors"].queryset = participants
        if not leads.exists():
            help_text = _no_working_organisation_help(case, can_invite=lead_ids is None)
            self.fields["lead_organisation"].help_text = help_text
        self.fields["assignee"].queryset = (
            User.objects.filter(memberships__organisation__in=participants)
            .distinct()
            .order_by("first_name")
        )
        participant_ids = list(participants.values_list("pk", flat=True))
        self.fields["assignee"].widget.limit_to(organisation_ids=participant_ids)
        others = Action.objects.filter(case=case).select_related("lead_organisation")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
        self.fields["depends_on"].queryset = others

    def _progress_only(self) -> None:
        for name in set(self.Meta.fields) - access.ACTION_PROGRESS_FIELDS:
            del self.fields[name]
        self.fields["status"].help_text = _(
            "Only the lead organisation and the case's coordinator change the rest of the "
            "action; your organisation contributes and reports its progress."
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        pass  # the service validates the model (see CaseForm._post_clean)

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        for name in ("contributors", "depends_on"):
            if name in data:
                data[name] = list(data[name])
        return data


class ActionUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"),
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    new_status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", _("Unchanged")), *ActionStatus.choices],
    )


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = list(OUTCOME_EDITABLE_FIELDS)
        widgets = {"baseline_date": DateInput(), "target_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out, the kind stays what it is (for a new outcome: the model's default).
        self.fields["value_kind"].required = False

    def clean_value_kind(self) -> str:
        return self.cleaned_data.get("value_kind") or self.instance.value_kind

    def _post_clean(self) -> None:
        pass  # the service validates the model (see CaseForm._post_clean)


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        formfield_callback = safe_formfield
        fields = ["organisation", "value", "measured_on", "note"]
        widgets = {"measured_on": DateInput()}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def _post_clean(self) -> None:
        pass  # the service validates the model (see CaseForm._post_clean)


class InviteForm(forms.Form):
    organisation = SafeModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active().order_by("name"),
        widget=OrganisationPicker(),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices)
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the organisation has the room to decide and commit (handlingsutrymme)."),
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:  # those invited or taking part already are not offered again
            taking_part = list(
                Participation.objects.filter(
                    case=case, state__in=access.CURRENT_PARTICIPATION_STATES
                ).values_list("organisation_id", flat=True)
            )
            field = self.fields["organisation"]
            field.queryset = field.queryset.exclude(pk__in=taking_part)
            field.widget.exclude(taking_part)
            field.error_messages["invalid_choice"] = _(
                "Choose an active organisation that is not already invited to or taking part "
                "in the case."
            )
