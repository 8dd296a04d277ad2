"""The library's text search. On PostgreSQL: full text in Swedish ('swedish' configuration),
per word a prefix query of its stem OR of the word with a common Swedish ending stripped, every
word required. On SQLite (development): every word as a substring of the lesson's texts.

Why both forms: the Swedish snowball stemmer turns "samverkade" into "samverk" but leaves
"samverkan" as it is, so a search for "samverkan" would not find "samverkade" by stems alone.
Stripping the ending ("samverk") and matching it as a prefix finds every form.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

MAX_WORDS = 8
MIN_STRIPPED = 4  # a stripped word shorter than this would match far too much
# Longest first, so "-erna" is stripped before "-na".
ENDINGS = ("erna", "ade", "an", "en", "et", "ar", "er", "or", "na", "at")
_WORD = re.compile(r"\w+", re.UNICODE)
TEXT_FIELDS = ("way_of_working", "what_worked", "what_did_not")


def words_of(text: str) -> list[str]:
    words = [word.lower() for word in _WORD.findall(text or "") if not word.isdigit()]
    return [word.replace("_", "") for word in words if word.replace("_", "")][:MAX_WORDS]


def stripped(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STRIPPED:
            return word[: -len(ending)]
    return word


def tsquery_text(text: str) -> str:
    """'(samverkan:* | samverk:*) & (polis:*)': only word characters reach the query."""
    parts = []
    for word in words_of(text):
        forms = dict.fromkeys([word, stripped(word)])
        parts.append("(" + " | ".join(f"{form}:*" for form in forms) + ")")
    return " & ".join(parts)


def search_vector() -> SearchVector:
    return SearchVector("way_of_working", weight="A", config="swedish") + SearchVector(
        "what_worked", "what_did_not", weight="B", config="swedish"
    )


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet, text: str) -> QuerySet:
    """`queryset` narrowed to lessons matching every word, best first then newest (PostgreSQL),
    or newest first (SQLite)."""
    if not words_of(text):
        return queryset
    if uses_full_text():
        query = SearchQuery(tsquery_text(text), search_type="raw", config="swedish")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-created_at", "-id")
        )
    condition = Q()
    for word in words_of(text):
        either = Q()
        for field in TEXT_FIELDS:
            either |= Q(**{f"{field}__icontains": word})
        condition &= either
    return queryset.filter(condition)
