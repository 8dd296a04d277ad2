"""A lesson's sector mix: the kinds of organisation that worked on the case together, as a short
key ("municipality+region+state_agency") and as people read it ("Municipality, region, state
agency")."""

from __future__ import annotations

from collections.abc import Iterable

from agencies.choices import OrganisationKind

SEPARATOR = "+"


def sector_mix_key(kinds: Iterable[str]) -> str:
    """The distinct kinds, sorted, joined: the same mix always has the same key."""
    return SEPARATOR.join(sorted({kind for kind in kinds if kind in OrganisationKind.values}))


def sector_mix_label(key: str) -> str:
    """The kinds in the active language, in the key's order; "–" for none."""
    labels = [
        str(OrganisationKind(kind).label)
        for kind in key.split(SEPARATOR)
        if kind in OrganisationKind.values
    ]
    if not labels:
        return "–"
    return ", ".join([labels[0], *(label.lower() for label in labels[1:])])
