"""Personal identity numbers for the tests, made with a correct (or a wrong) check digit."""

from __future__ import annotations


def check_digit(nine: str) -> str:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def valid(yymmdd: str, serial: str = "123", sep: str = "-", century: str = "") -> str:
    return f"{century}{yymmdd}{sep}{serial}{check_digit(yymmdd + serial)}"


def wrong_check_digit(yymmdd: str, serial: str = "123", sep: str = "-") -> str:
    wrong = (int(check_digit(yymmdd + serial)) + 1) % 10
    return f"{yymmdd}{sep}{serial}{wrong}"


PERSONNUMMER = valid("811218", "987", century="19")  # 19811218-9876
SAMORDNINGSNUMMER = valid("811278", "987")  # day 18 + 60
WRONG_CHECK_DIGIT = wrong_check_digit("811218", "987")
IMPOSSIBLE_DATE = valid("811318", "987")  # month 13, check digit right
