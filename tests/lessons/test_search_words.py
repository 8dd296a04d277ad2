"""How the library's search words become a PostgreSQL text query: every word required, each as
a prefix of itself and of its stem without a common Swedish ending; nothing but word characters
reaches the query."""

from __future__ import annotations

import pytest

from lessons.search import stripped, tsquery_text, words_of
from lessons.sectors import sector_mix_key, sector_mix_label


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("samverkan", "samverk"),
        ("samverkade", "samverk"),
        ("samverkar", "samverk"),
        ("socialtjänsterna", "socialtjänst"),
        ("polisen", "polis"),
        ("skola", "skola"),  # no ending of the list
        ("åren", "åren"),  # too short a stem would match too much
    ],
)
def test_a_common_swedish_ending_is_stripped(word, stem) -> None:
    assert stripped(word) == stem


def test_every_word_is_required_in_one_of_its_forms() -> None:
    assert tsquery_text("Samverkan polis") == "(samverkan:* | samverk:*) & (polis:*)"


def test_operators_and_punctuation_never_reach_the_query() -> None:
    assert tsquery_text("polis & !(skola) | 'x':*") == "(polis:*) & (skola:*) & (x:*)"
    assert tsquery_text("&&& ||| 2026") == ""
    assert len(words_of("ord " * 50)) == 8


def test_a_sector_mix_is_sorted_and_read_in_the_active_language() -> None:
    key = sector_mix_key(["state_agency", "municipality", "region", "municipality", "bogus"])
    assert key == "municipality+region+state_agency"
    assert sector_mix_label(key) == "Municipality, region, state agency"
    assert sector_mix_label("") == "–"
