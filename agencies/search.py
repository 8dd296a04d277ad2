"""Finding organisations by any of their names or codes, for pickers and the directory.

Each organisation keeps a folded `search_text` (lower case, accents removed) of its names and
codes, so "goteb", "GÖTEB" and "1480" all find Göteborgs Stad with one indexed-free LIKE per
word on every database the product runs on (SQLite in development, PostgreSQL in production).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

if TYPE_CHECKING:
    from .models import Organisation

MAX_QUERY_LENGTH = 100
MAX_TERMS = 6


def fold(text: str) -> str:
    """Lower case without diacritics: "Göteborgs Stad" → "goteborgs stad"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_text_for(organisation: Organisation) -> str:
    """Every name and code an organisation can be found by, folded, one per line."""
    number = organisation.organisation_number or ""
    parts = [
        organisation.name,
        organisation.legal_name,
        organisation.short_name,
        organisation.name_en,
        number,
        number.replace("-", ""),
        organisation.municipality_code,
        organisation.region_code,
    ]
    return "\n".join(dict.fromkeys(fold(part) for part in parts if part))


def query_terms(query: str) -> list[str]:
    """The folded words of a query; hyphens kept inside words so "202100-5448" stays one."""
    terms = fold(query[:MAX_QUERY_LENGTH]).split()
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def organisation_matching(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations with every word of `query` in one of their names or codes."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def organisation_search(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """As organisation_matching, best first: names starting with the query, then words."""
    queryset = organisation_matching(queryset, query)
    terms = query_terms(query)
    if not terms:
        return queryset
    first = terms[0]
    starts = When(search_text__startswith=first, then=Value(0))
    word_starts = When(
        Q(search_text__contains=f" {first}") | Q(search_text__contains=f"\n{first}"), then=Value(1)
    )
    rank = Case(starts, word_starts, default=Value(2), output_field=IntegerField())
    return queryset.annotate(search_rank=rank).order_by("search_rank", "name", "pk")
