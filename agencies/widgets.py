"""Type-ahead pickers for organisations and areas (WAI-ARIA 1.2 combobox, static/js/picker.js).

The widget renders an ordinary <select>, but only of what is chosen (and, see below, of the
matches of a search): never every organisation of the field's queryset, which would be a page of
thousands of options. The script hides it and offers a combobox whose matches come from the
server (`organisation_search`), at most a page at a time. Without JavaScript a text field,
`<name>_search`, is searched on the server when the form is sent: one match is chosen, several
(at most FALLBACK_MATCHES) are offered in the select to choose from.

What the server may offer is the picker's *scope* (kinds, active only, organisations to leave
out), signed into the search URL: the search answers within what the form allows, and nobody
can widen it by editing the URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core import signing
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.urls import reverse

from .choices import OrganisationKind
from .models import Organisation
from .search import MAX_QUERY_LENGTH, organisation_search

SCOPE_SALT = "agencies.picker-scope"
MAX_EXCLUDED = 1000
FALLBACK_MATCHES = 20
SEARCH_SUFFIX = "_search"


@dataclass(frozen=True)
class PickerScope:
    """Which organisations a picker offers; mirrors the form field's queryset."""

    kinds: tuple[str, ...] = ()
    active_only: bool = True
    exclude_ids: tuple[int, ...] = field(default=())

    def sign(self) -> str:
        data = {"k": list(self.kinds), "a": self.active_only, "x": list(self.exclude_ids)}
        return signing.dumps(data, salt=SCOPE_SALT, compress=True)

    @classmethod
    def unsign(cls, token: str) -> PickerScope:
        """The scope in a search URL; raises signing.BadSignature when it was not ours."""
        data = signing.loads(token, salt=SCOPE_SALT)
        kinds = tuple(kind for kind in data.get("k", []) if kind in OrganisationKind.values)
        excluded = tuple(int(pk) for pk in data.get("x", [])[:MAX_EXCLUDED])
        return cls(kinds=kinds, active_only=bool(data.get("a", True)), exclude_ids=excluded)

    def queryset(self) -> QuerySet[Organisation]:
        queryset = Organisation.objects.all()
        if self.active_only:
            queryset = queryset.active()
        if self.kinds:
            queryset = queryset.filter(kind__in=self.kinds)
        if self.exclude_ids:
            queryset = queryset.filter(~Q(pk__in=self.exclude_ids))
        return queryset


class OrganisationPicker(forms.Select):
    """One organisation, chosen by typing part of a name or code."""

    # In the app: the form renderer looks in app template folders, not the project's.
    template_name = "agencies/widgets/picker.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        kinds: Iterable[str] = (),
        active_only: bool = True,
    ) -> None:
        super().__init__(attrs)
        self.scope = PickerScope(kinds=tuple(kinds), active_only=active_only)
        self.enhanced = True  # False: no combobox, only the server-side search (no sign-in)

    def exclude(self, organisation_ids: Iterable[int]) -> None:
        """Leave these out of the matches too (the form's queryset excludes them)."""
        self.scope = PickerScope(
            kinds=self.scope.kinds,
            active_only=self.scope.active_only,
            exclude_ids=tuple(sorted(set(organisation_ids))),
        )

    def search_url(self) -> str:
        return f"{reverse('organisation_search')}?{urlencode({'scope': self.scope.sign()})}"

    # Without JavaScript: the text of `<name>_search`, searched within the field's queryset.

    def _field_queryset(self) -> QuerySet[Organisation] | None:
        choices = self.choices
        return choices.queryset if isinstance(choices, ModelChoiceIterator) else None

    def _search(self, data: Any, name: str) -> list[Organisation]:
        """The matches of the typed text, best first; remembered for the form's next render."""
        text = str(data.get(name + SEARCH_SUFFIX, "")).strip()[:MAX_QUERY_LENGTH]
        if getattr(self, "search_text", None) == text:  # the form asks more than once
            return self.matches
        self.search_text = text
        queryset = self._field_queryset()
        self.matches: list[Organisation] = []
        if self.search_text and queryset is not None:
            found = organisation_search(queryset, self.search_text)[: FALLBACK_MATCHES + 1]
            self.matches = list(found)
        return self.matches

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        if value not in ("", None, []) and not self.allow_multiple_selected:
            return value
        matches = self._search(data, name)
        if len(matches) != 1:
            return value
        found = str(matches[0].pk)
        return [*value, found] if self.allow_multiple_selected else found

    def _bounded_choices(self, value: Any) -> list[tuple[Any, str]]:
        """The empty choice, what is chosen and the fallback search's matches: a few options,
        however many organisations the field accepts."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return list(choices)
        field = choices.field
        bounded = [("", field.empty_label)] if field.empty_label is not None else []
        keys = [str(v) for v in value if v not in ("", None) and str(v).isdigit()]
        chosen = list(choices.queryset.filter(pk__in=keys)) if keys else []
        chosen_ids = {row.pk for row in chosen}
        matches = getattr(self, "matches", [])[:FALLBACK_MATCHES]
        rows = chosen + [row for row in matches if row.pk not in chosen_ids]
        return bounded + [choices.choice(row) for row in rows]

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> list:
        full, self.choices = self.choices, self._bounded_choices(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = full

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["search_url"] = self.search_url()
        widget["enhanced"] = self.enhanced
        widget["search_name"] = name + SEARCH_SUFFIX
        widget["search_text"] = getattr(self, "search_text", "")
        matches = getattr(self, "matches", [])
        widget["match_count"] = min(len(matches), FALLBACK_MATCHES)
        widget["more_matches"] = len(matches) > FALLBACK_MATCHES
        # The combobox input carries the field's help and errors once the script shows it.
        widget["described_by"] = widget["attrs"].get("aria-describedby", "")
        widget["invalid"] = widget["attrs"].get("aria-invalid") == "true"
        widget["selected"] = [
            option
            for _group, options, _index in widget["optgroups"]
            for option in options
            if option["selected"] and option["value"] not in ("", None)
        ]
        return context


class AreaPicker(OrganisationPicker, forms.SelectMultiple):
    """Several regions and municipalities, each shown as a removable chip once chosen."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        kinds = (OrganisationKind.REGION, OrganisationKind.MUNICIPALITY)
        super().__init__(attrs, kinds=kinds, active_only=False)
