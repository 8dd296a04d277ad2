"""A statute as cited ("OSL 25 kap. 1 §", "offentlighets- och sekretesslag 25:1") and the key that
groups the same provision across cases.

The key is the law's abbreviation or name in capitals, then chapter and section in the Swedish
citation form: "OSL 25 kap. 1 §". A citation that does not parse groups by its own text, folded
(case and spaces), so nothing is lost and a typo only makes a group of its own.
"""

from __future__ import annotations

import re

_CITATION = re.compile(
    r"""^\s*(?P<law>[^\d§:]+?)\s*[,(]?\s*
        (?:(?P<chapter>\d+)\s*(?:kap\.?|kapitlet|:)\s*)?
        (?:(?P<section>\d+\s?[a-z]?)\s*§?)?\s*\)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


# The names a law is cited by, folded to the abbreviation the key uses.
_ALIASES = {
    "OFFENTLIGHETS- OCH SEKRETESSLAGEN": "OSL",
    "OFFENTLIGHETS- OCH SEKRETESSLAG": "OSL",
    "OSL (2009:400)": "OSL",
    "SOCIALTJÄNSTLAGEN": "SOL",
    "SOCIALTJÄNSTLAG": "SOL",
    "SKOLLAGEN": "SKOLL",
    "HÄLSO- OCH SJUKVÅRDSLAGEN": "HSL",
    "PATIENTDATALAGEN": "PDL",
    "POLISLAGEN": "PL",
    "DATASKYDDSFÖRORDNINGEN": "GDPR",
}
_ARTICLE = re.compile(r"^(?P<law>.+?)\s+(?:ART\.?|ARTIKEL)$")


def _law(text: str) -> str:
    law = " ".join(text.strip(" ,").upper().split())
    return _ALIASES.get(law, law)


def statute_key(citation: str) -> str:
    text = " ".join(citation.split())
    if not text:
        return ""
    found = _CITATION.match(text)
    if not found or not (found["chapter"] or found["section"]):
        return _law(text)
    law = _law(found["law"])
    article = _ARTICLE.match(law)
    if article and found["section"] and not found["chapter"]:
        return f"{_law(article['law'])} art. {found['section'].replace(' ', '')}"
    parts = [law]
    if found["chapter"]:
        parts.append(f"{found['chapter']} kap.")
    if found["section"]:
        parts.append(f"{found['section'].replace(' ', '')} §")
    return " ".join(parts)
