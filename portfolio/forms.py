"""The portfolio's filters and sort order; a bad value is reported by its field, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from agencies.choices import OrganisationKind
from agencies.models import Organisation
from agencies.person_picker import PersonPicker
from agencies.widgets import OrganisationPicker
from cases.choices import CaseStatus
from cases.forms import SafeModelChoiceField, theme_filter_field

from . import geo
from .collaboration import SECTORS
from .flags import FLAGS

ANY = ("", _("Any"))

SORT_CHOICES = [
    ("-created", _("Newest first")),
    ("reference", _("Reference")),
    ("title", _("Title")),
    ("status", _("Status")),
    ("theme", _("Theme")),
    ("lead", _("Lead organisation")),
    ("coordinator", _("Coordinator")),
    ("-overdue", _("Most overdue actions")),
    ("-blocked", _("Most blocked actions")),
    ("progress", _("Least progress first")),
    ("-progress", _("Most progress first")),
    ("-activity", _("Longest without activity")),
    ("activity", _("Most recent activity")),
]
PUBLIC_SORTS = {
    "-created",
    "reference",
    "title",
    "status",
    "theme",
    "lead",
    "progress",
    "-progress",
}


def _county_choices() -> list[tuple[str, str]]:
    return [(area.code, area.name) for area in geo.counties()]


class PortfolioFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[ANY, *CaseStatus.choices]
    )
    theme = theme_filter_field()
    region = forms.ChoiceField(label=_("County"), required=False, choices=[])
    lead_kind = forms.ChoiceField(
        label=_("Sector of the lead organisation"),
        required=False,
        choices=[
            ANY,
            *[(s.value, s.label) for s in SECTORS],
            (OrganisationKind.OTHER.value, OrganisationKind.OTHER.label),
        ],
    )
    lead = SafeModelChoiceField(
        label=_("Lead organisation"),
        required=False,
        queryset=Organisation.objects.all(),
        empty_label=_("Any"),
        widget=OrganisationPicker(active_only=False),
    )
    coordinator = SafeModelChoiceField(
        label=_("Coordinator"),
        required=False,
        queryset=get_user_model().objects.all(),
        empty_label=_("Any"),
        widget=PersonPicker(),
    )
    flag = forms.ChoiceField(label=_("Needs the committee"), required=False, choices=[])
    overdue = forms.BooleanField(label=_("Only cases with overdue actions"), required=False)
    blocked = forms.BooleanField(label=_("Only cases with blocked actions"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [ANY, *_county_choices()]
        self.fields["flag"].choices = [
            ANY,
            ("needs_committee", _("Any reason")),
            *[(key, flag.label) for key, flag in FLAGS.items()],
        ]
        if public:
            # The public version shows no flags and names no person.
            del self.fields["flag"]
            del self.fields["coordinator"]
            self.fields["sort"].choices = [c for c in SORT_CHOICES if c[0] in PUBLIC_SORTS]
            self.fields["lead"].widget.enhanced = False

    def selector_filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "theme": data["theme"].slug if data.get("theme") else "",
            "region": data.get("region") or "",
            "lead_kind": data.get("lead_kind") or "",
            "lead": data["lead"].pk if data.get("lead") else None,
            "coordinator": data["coordinator"].pk if data.get("coordinator") else None,
            "flag": data.get("flag") or "",
            "overdue": bool(data.get("overdue")),
            "blocked": bool(data.get("blocked")),
        }


class PartnerForm(forms.Form):
    """Whose partners to show in the collaboration picture."""

    organisation = SafeModelChoiceField(
        label=_("Organisation"),
        required=True,
        queryset=Organisation.objects.all(),
        widget=OrganisationPicker(active_only=False),
    )

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if public:
            self.fields["organisation"].widget.enhanced = False
