"""The committee's filters on the dashboard's "what needs me" list."""

from __future__ import annotations

from typing import Any

from django import forms

from .forms import region_filter_field, theme_filter_field


class AttentionFilterForm(forms.Form):
    """Theme and area: a region's cases include its municipalities' and the national ones."""

    theme = theme_filter_field()
    region = region_filter_field()

    def selector_filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        filters = {
            "theme": data["theme"].slug if data.get("theme") else "",
            "region_code": data["region"].region_code if data.get("region") else "",
        }
        return {key: value for key, value in filters.items() if value}
