"""Validation of Swedish organisation identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ORGANISATION_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_checksum_ok(digits: str) -> bool:
    """True when the last digit is the Luhn (mod 10) check digit of the ones before it."""
    total = 0
    for index, char in enumerate(reversed(digits[:-1])):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10 == int(digits[-1])


def normalise_organisation_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError with the reason."""
    cleaned = (value or "").strip()
    match = _ORGANISATION_NUMBER.match(cleaned)
    if not match:
        raise ValidationError(
            _("Enter an organisation number as ten digits, NNNNNN-NNNN."),
            code="format",
        )
    digits = match.group(1) + match.group(2)
    # The third digit is 2 or more for legal entities, so a personnummer can never pass.
    if int(digits[2]) < 2:
        raise ValidationError(
            _("This looks like a personal identity number, not an organisation number."),
            code="personal_number",
        )
    if not luhn_checksum_ok(digits):
        raise ValidationError(
            _("The check digit is wrong: please check the organisation number."),
            code="checksum",
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)


def validate_municipality_code(value: str) -> None:
    if not re.fullmatch(r"\d{4}", value or ""):
        raise ValidationError(_("A municipality code (kommunkod) is four digits."), code="format")


def validate_region_code(value: str) -> None:
    if not re.fullmatch(r"\d{2}", value or ""):
        raise ValidationError(_("A county code (länskod) is two digits."), code="format")
