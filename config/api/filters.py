"""A FilterSet for the API that refuses what it cannot read, instead of ignoring it."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

BOOLEANS = ("true", "false")


class StrictFilterSet(django_filters.FilterSet):
    """A filter in the query must mean something: an empty or unreadable value is a 400.

    django-filter drops `?is_national=maybe` or `?due_before=` silently and answers the whole
    list, which a client cannot tell from a filter that matched everything. Free-text filters
    (CharFilter) may be empty: the schema allows an empty string there.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            message = self._refusal(filter_, values)
            if message:
                self.form.add_error(name, message)
                valid = False
        return valid

    @staticmethod
    def _refusal(filter_: django_filters.Filter, values: list[str]) -> str | None:
        if isinstance(filter_, django_filters.CharFilter) or not values:
            return None
        if any(value == "" for value in values):
            return str(_("Give a value, or leave the parameter out."))
        if isinstance(filter_, django_filters.BooleanFilter) and any(
            value not in BOOLEANS for value in values
        ):
            return str(_("Use true or false."))
        return None
