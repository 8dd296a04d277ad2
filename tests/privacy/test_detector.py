"""The rule itself: which numbers are personal identity numbers, and how they are shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from config.personal_data import find_identity_numbers, no_personal_identity_number

from .numbers import check_digit, valid, wrong_check_digit

FOUND = [
    ("ten digits with a hyphen", valid("811218", "987"), "811218-****"),
    ("ten digits without separator", valid("811218", "987", sep=""), "811218-****"),
    ("twelve digits with a hyphen", valid("811218", "987", century="19"), "19811218-****"),
    ("twelve digits without separator", valid("811218", "987", "", "19"), "19811218-****"),
    ("a hundred years old, plus", valid("151231", "456", sep="+"), "151231+****"),
    ("a space as separator", valid("811218", "987", sep=" "), "811218-****"),
    ("samordningsnummer", valid("811278", "987"), "811278-****"),
    ("samordningsnummer, twelve digits", valid("811278", "987", century="19"), "19811278-****"),
    ("leap day", valid("000229", "111"), "000229-****"),
    ("born this century", valid("100101", "234", century="20"), "20100101-****"),
    ("within a sentence", f"Pojken ({valid('050607', '321')}) greps.", "050607-****"),
    ("after a colon", f"pnr:{valid('811218', '987')}.", "811218-****"),
    ("an en dash", valid("811218", "987", sep="\u2013"), "811218-****"),
]

PASSES = [
    ("wrong check digit", wrong_check_digit("811218", "987")),
    ("wrong check digit, samordningsnummer", wrong_check_digit("811278", "987")),
    ("month 13", valid("811318", "987")),
    ("day 32", valid("811232", "987")),
    ("30 February", valid("810230", "987")),
    ("29 February in a common year", valid("810229", "987")),
    ("day 92 (samordning beyond 31)", valid("811292", "987")),
    ("organisation number (month 20+)", "212000-0142"),
    ("phone number", "070-123 45 67"),
    ("phone number, international", "+46 8 123 456 78"),
    ("amount", "1 250 000 kronor"),
    ("large number", "12345678901234"),
    ("ISO date", "2026-12-01"),
    ("case reference", "SAM-2026-0042"),
    ("a number glued to more digits", valid("811218", "987") + "5"),
    ("eleven digits", "1" + valid("811218", "987", sep="")),
    ("twelve digits with a bad century", valid("811218", "987", century="55")),
    ("empty", ""),
]


@pytest.mark.parametrize(("what", "text", "masked"), FOUND, ids=[f[0] for f in FOUND])
def test_a_personal_identity_number_is_found_and_masked(what, text, masked) -> None:
    found = list(find_identity_numbers(text))
    assert [f.masked for f in found] == [masked]
    assert masked.replace("*", "") not in text[found[0].end - 4 : found[0].end]


@pytest.mark.parametrize(("what", "text"), PASSES, ids=[p[0] for p in PASSES])
def test_ordinary_numbers_pass(what, text) -> None:
    assert list(find_identity_numbers(text)) == []
    no_personal_identity_number(text)  # does not raise


def test_the_samordningsnummer_is_marked_as_such() -> None:
    (found,) = find_identity_numbers(valid("811278", "987"))
    assert found.coordination


def test_two_numbers_in_one_text_are_both_found() -> None:
    text = f"{valid('811218', '987')} och {valid('900101', '123', century='19')}"
    assert [f.masked for f in find_identity_numbers(text)] == ["811218-****", "19900101-****"]


def test_the_refusal_says_why_and_what_to_do_without_the_number() -> None:
    number = valid("811218", "987")
    with pytest.raises(ValidationError) as refused:
        no_personal_identity_number(f"Kontakt: {number}")
    message = " ".join(refused.value.messages)
    assert "811218-****" in message and number not in message
    assert "GDPR" in message and "role" in message and "case number" in message
    assert refused.value.error_list[0].code == "personal_identity_number"


def test_check_digit_helper_agrees_with_a_known_number() -> None:
    assert check_digit("811218987") == "6"  # 811218-9876, the Skatteverket example
