"""The personal-data guard: no Swedish personal identity number is stored in free text.

Cases are read by several organisations at once. A personnummer or samordningsnummer pasted
into an update or a mandate would share a person's identity across the secrecy between agencies
(offentlighets- och sekretesslagen) and break the GDPR's data minimisation. This module is the
one place that says what such a number looks like; the forms, the API and the scan
(`manage.py personal_data_scan`) all ask it.

A match needs all of:
1. ten digits (YYMMDD NNNC) or twelve (YYYYMMDD NNNC), with `-`, `+` (a person 100 or more years
   old), a space, or nothing between the date and the last four digits;
2. a real date, where the day may be raised by 60 (a samordningsnummer);
3. the Luhn check digit over the ten-digit form.
So phone numbers, amounts, dates, organisation numbers (month 20 or more) and case references
pass: only about one random ten-digit number in a hundred would be taken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Digits not glued to other digits; separators: hyphen (and the dashes a word processor makes),
# plus, or a single space.
_CANDIDATE = re.compile(
    r"(?<![\d])(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-\u2010\u2011\u2012\u2013\u2212+ ]?)"
    r"(?P<serial>\d{4})(?![\d])"
)
COORDINATION_DAY_OFFSET = 60


@dataclass(frozen=True)
class IdentityNumber:
    """A personal identity number found in a text, kept only as far as it may be shown."""

    start: int
    end: int
    masked: str
    coordination: bool  # a samordningsnummer (day + 60)


def _luhn_ok(ten_digits: str) -> bool:
    total = 0
    for index, char in enumerate(ten_digits[:9]):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10 == int(ten_digits[9])


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _full_year(yy: int, sep: str, today: date) -> int:
    """The ten-digit form's century: the latest year not in the future, 100 more back for `+`."""
    year = today.year - (today.year - yy) % 100
    return year - 100 if sep == "+" else year


def _birth_date_ok(century: str | None, yymmdd: str, sep: str) -> tuple[bool, bool]:
    """(is a real date, is a samordningsnummer)."""
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    coordination = day > COORDINATION_DAY_OFFSET
    if coordination:
        day -= COORDINATION_DAY_OFFSET
    if century is not None:
        if sep == "+" or century not in ("18", "19", "20"):
            return False, coordination
        year = int(century) * 100 + yy
    else:
        year = _full_year(yy, sep, timezone.localdate())
    return _real_date(year, month, day), coordination


def _mask(match: re.Match[str]) -> str:
    sep = match["sep"] if match["sep"] in ("-", "+") else "-"
    return f"{match['century'] or ''}{match['date']}{sep}****"


def find_identity_numbers(text: str) -> Iterator[IdentityNumber]:
    """Every personnummer and samordningsnummer in `text`, masked (`19811218-****`)."""
    if not isinstance(text, str) or len(text) < 10:
        return
    for match in _CANDIDATE.finditer(text):
        real, coordination = _birth_date_ok(match["century"], match["date"], match["sep"])
        if real and _luhn_ok(match["date"] + match["serial"]):
            yield IdentityNumber(match.start(), match.end(), _mask(match), coordination)


def contains_identity_number(text: Any) -> bool:
    return next(find_identity_numbers(text), None) is not None


MESSAGE = _(
    "This text contains what looks like a Swedish personal identity number (%(masked)s). "
    "Personal identity numbers and coordination numbers may not be written here: every "
    "organisation in the case reads this text, and secrecy between agencies and the GDPR "
    "forbid sharing them. Refer to the person by their role instead (for example “the young "
    "person”, “the guardian”) or by your own organisation's case number."
)


@deconstructible
class NoPersonalIdentityNumber:
    """Refuses text that holds a personnummer or samordningsnummer, saying why and what to do.

    Non-text values pass: the forms also run it on whatever a text field cleans to.
    """

    code = "personal_identity_number"

    def __call__(self, value: Any) -> None:
        found = next(find_identity_numbers(value), None) if isinstance(value, str) else None
        if found is not None:
            raise ValidationError(MESSAGE, code=self.code, params={"masked": found.masked})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoPersonalIdentityNumber)

    def __hash__(self) -> int:
        return hash(self.code)


no_personal_identity_number = NoPersonalIdentityNumber()

# Text columns that are not free text: codes and identifiers with their own validation, and
# texts the system writes (errors from mail servers and webhook receivers, outbox keys).
# Everything else a person can type into a CharField or TextField of the product is guarded.
NOT_FREE_TEXT = frozenset(
    {
        "organisation_number",
        "municipality_code",
        "region_code",
        "reference_key",
        "object_type",
        "dedupe_key",
        "last_error",
        "error",
        "disabled_reason",
        "password",
    }
)
