"""Type-ahead pickers for organisations and areas (WAI-ARIA 1.2 combobox, static/js/picker.js).

The widget renders the ordinary <select> of the field's choices, so the form works without
JavaScript and validates exactly as before; the script hides it and offers a combobox whose
matches come from the server (`organisation_search`), at most a page at a time.

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
from django.urls import reverse

from .choices import OrganisationKind
from .models import Organisation

SCOPE_SALT = "agencies.picker-scope"
MAX_EXCLUDED = 1000


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

    def exclude(self, organisation_ids: Iterable[int]) -> None:
        """Leave these out of the matches too (the form's queryset excludes them)."""
        self.scope = PickerScope(
            kinds=self.scope.kinds,
            active_only=self.scope.active_only,
            exclude_ids=tuple(sorted(set(organisation_ids))),
        )

    def search_url(self) -> str:
        return f"{reverse('organisation_search')}?{urlencode({'scope': self.scope.sign()})}"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["search_url"] = self.search_url()
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
