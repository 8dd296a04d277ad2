"""The committee's filters on the dashboard's "what needs me" list (issue 10)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.choices import OrganisationKind
from agencies.models import Organisation

from .forms import SafeModelChoiceField
from .models import Theme


class AttentionFilterForm(forms.Form):
    """Theme and area: a region's cases include its municipalities' and the national ones."""

    theme = SafeModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Any"),
    )
    region = SafeModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("name"),
        to_field_name="region_code",
        empty_label=_("Any"),
    )

    def selector_filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        filters = {
            "theme": data["theme"].slug if data.get("theme") else "",
            "region_code": data["region"].region_code if data.get("region") else "",
        }
        return {key: value for key, value in filters.items() if value}
