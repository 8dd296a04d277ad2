"""Personal identity numbers in what the public writes: found with their date and check digit,
and refused with a plain explanation; a wrong check digit is just digits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from citizens.identity_numbers import first_identity_number, no_identity_number


def luhn_digit(nine: str) -> str:
    """The check digit over the ten-digit form's first nine digits (as Skatteverket computes)."""
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def number(yymmdd: str, serial: str) -> str:
    return yymmdd + serial + luhn_digit(yymmdd + serial)


def wrong(ten: str) -> str:
    return ten[:9] + str((int(ten[9]) + 1) % 10)


# Skatteverket's test numbers follow this form: a birth date, three digits, the check digit.
PERSON = number("121212", "121")  # 1212121212: the classic test number
COORDINATION = number("701063", "239")  # day 63 = the 3rd + 60: a samordningsnummer


@pytest.mark.parametrize(
    "text",
    [
        f"Jag heter Kim, {PERSON[:6]}-{PERSON[6:]}.",
        f"personnummer 19{PERSON[:6]}-{PERSON[6:]}",
        f"19{PERSON}",
        PERSON,
        f"samordningsnummer {COORDINATION[:6]}-{COORDINATION[6:]}",
        f"{COORDINATION[:6]}+{COORDINATION[6:]}",
    ],
)
def test_a_valid_number_is_found_and_refused_with_an_explanation(text: str) -> None:
    assert first_identity_number(text) is not None
    with pytest.raises(ValidationError) as refused:
        no_identity_number(text)
    message = " ".join(str(m) for m in refused.value.messages)
    assert "personal identity number" in message and "we do not keep them" in message
    assert "****" in message  # the last four digits are masked


@pytest.mark.parametrize(
    "text",
    [
        f"{PERSON[:6]}-{wrong(PERSON)[6:]}",  # an invalid check digit
        f"19{wrong(PERSON)}",
        wrong(COORDINATION),
        "Ring 08-123 456 78 eller 0701234567.",
        "Organisationsnummer 212000-0142",  # month 20: not a birth date
        "SAM-2026-0042",
    ],
)
def test_digits_that_are_no_valid_number_pass(text: str) -> None:
    assert first_identity_number(text) is None
    no_identity_number(text)
