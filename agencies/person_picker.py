"""A type-ahead picker for people (coordinator, assignee, contact person).

Like the organisation picker (`agencies.widgets`): the page holds only the chosen person, never
every user the field accepts (a national committee has thousands), and the combobox asks the
server for matches within a signed *scope*: the organisations whose members may be chosen, the
committee, and a few named people (the current coordinator). The scope mirrors the form field's
queryset; nobody widens it by editing the URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse

from .widgets import FALLBACK_MATCHES, OrganisationPicker

PERSON_SCOPE_SALT = "agencies.person-picker-scope"
MAX_SCOPE_IDS = 1000
MAX_WORDS = 4


@dataclass(frozen=True)
class PersonScope:
    """Whom a person picker offers: everyone active, or the members of these organisations, the
    committee if `committee`, and the people in `extra_ids`."""

    everyone: bool = False
    organisation_ids: tuple[int, ...] = ()
    committee: bool = False
    extra_ids: tuple[int, ...] = field(default=())

    def sign(self) -> str:
        data = {
            "e": self.everyone,
            "o": list(self.organisation_ids),
            "c": self.committee,
            "x": list(self.extra_ids),
        }
        return signing.dumps(data, salt=PERSON_SCOPE_SALT, compress=True)

    @classmethod
    def unsign(cls, token: str) -> PersonScope:
        """The scope in a search URL; raises signing.BadSignature when it was not ours."""
        data = signing.loads(token, salt=PERSON_SCOPE_SALT)
        return cls(
            everyone=bool(data.get("e")),
            organisation_ids=tuple(int(pk) for pk in data.get("o", [])[:MAX_SCOPE_IDS]),
            committee=bool(data.get("c")),
            extra_ids=tuple(int(pk) for pk in data.get("x", [])[:MAX_SCOPE_IDS]),
        )

    def queryset(self) -> QuerySet[Any]:
        users = get_user_model().objects.filter(is_active=True)
        if self.everyone:
            return users
        condition = Q(pk__in=self.extra_ids)
        if self.organisation_ids:
            condition |= Q(memberships__organisation_id__in=self.organisation_ids)
        if self.committee:
            condition |= Q(groups__name=settings.COMMITTEE_GROUP)
        return users.filter(pk__in=get_user_model().objects.filter(condition).values("pk"))


def person_search(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """People whose first name, last name or login starts a word of `text`, by name."""
    for word in text.split()[:MAX_WORDS]:
        queryset = queryset.filter(
            Q(first_name__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(username__istartswith=word)
        )
    return queryset.order_by("first_name", "last_name", "pk")


class PersonPicker(OrganisationPicker):
    """One person, chosen by typing part of their name; the form calls `limit_to` with the
    scope that mirrors the field's queryset."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.person_scope = PersonScope(everyone=True)

    def limit_to(
        self,
        *,
        organisation_ids: Iterable[int] = (),
        committee: bool = False,
        extra_ids: Iterable[int | None] = (),
    ) -> None:
        self.person_scope = PersonScope(
            organisation_ids=tuple(sorted(set(organisation_ids))),
            committee=committee,
            extra_ids=tuple(sorted({pk for pk in extra_ids if pk})),
        )

    def search_url(self) -> str:
        return f"{reverse('person_search')}?{urlencode({'scope': self.person_scope.sign()})}"

    def _search(self, data: Any, name: str) -> list[Any]:
        text = str(data.get(name + "_search", "")).strip()[:100]
        if getattr(self, "search_text", None) == text:
            return self.matches
        self.search_text = text
        queryset = self._field_queryset()
        self.matches = []
        if text and queryset is not None:
            self.matches = list(person_search(queryset, text)[: FALLBACK_MATCHES + 1])
        return self.matches

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["person"] = True  # hints say "name", not "name or code"
        return context
