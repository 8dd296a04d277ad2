from __future__ import annotations

import csv

import pytest
from django.core.exceptions import ValidationError

from agencies.reference import DATA_DIR
from agencies.validators import normalise_organisation_number

AGENCY_NUMBERS = [
    row["organisation_number"]
    for row in csv.DictReader((DATA_DIR / "state_agencies.csv").open(encoding="utf-8"))
]


def test_every_shipped_agency_number_is_valid() -> None:
    assert len(AGENCY_NUMBERS) == 209
    for number in AGENCY_NUMBERS:
        assert normalise_organisation_number(number) == number


def test_number_without_hyphen_is_stored_with_it() -> None:
    assert normalise_organisation_number(" 2021005448 ") == "202100-5448"


@pytest.mark.parametrize(
    ("value", "code", "message_part"),
    [
        ("850709-9805", "personal_number", "personal identity number"),
        ("202100-5449", "checksum", "check digit"),
        ("202100-544", "format", "ten digits"),
        ("2021005-4488", "format", "ten digits"),
        ("20210A-5448", "format", "ten digits"),
        ("", "format", "ten digits"),
    ],
)
def test_bad_organisation_numbers_are_refused_with_a_reason(
    value: str, code: str, message_part: str
) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(value)
    assert error.value.code == code
    assert message_part in error.value.messages[0]
