"""Numbers as people read them: by what the outcome counts, in the active language.

Counts have no decimals ("60 personer"), percentages read "85 %", amounts and rates use the
locale's separators (Swedish: decimal comma, a space between thousands). Pages, the timeline,
emails and chart labels all format through here, so a number reads the same everywhere.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format

from .choices import ValueKind

NBSP = "\u00a0"  # keeps "85" and "%" (and a number and its unit) on one line


def _places(value: Decimal, kind: str) -> int:
    if kind == ValueKind.COUNT:
        return 0
    if kind == ValueKind.AMOUNT:
        return 0 if value == value.to_integral_value() else 2
    # Percentages and rates: as many decimals as the value has, at most two (85, 85,5, 0,25).
    exponent = value.normalize().as_tuple().exponent
    return min(2, max(0, -exponent)) if isinstance(exponent, int) else 0


def format_number(value: Any, kind: str = ValueKind.AMOUNT) -> str:
    """The bare number, by kind and locale; empty for no value."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    return number_format(value, _places(value, kind), use_l10n=True, force_grouping=True)


def format_value(value: Any, kind: str, unit: str = "") -> str:
    """The number with its unit: "60 personer", "85 %", "1 250,50 kr"."""
    text = format_number(value, kind)
    if not text:
        return ""
    if kind == ValueKind.PERCENT:
        return f"{text}{NBSP}%"
    return f"{text}{NBSP}{unit}" if unit else text


def format_figure(value: Any, outcome: Any, *, unit: bool = True) -> str:
    """A value of `outcome`'s indicator, formatted by the outcome's kind (with its unit)."""
    return format_value(value, outcome.value_kind, outcome.unit if unit else "")


def format_payload_figure(payload: dict[str, Any], key: str = "value") -> str:
    """A figure from an event's payload (emails and the inbox render events when read)."""
    kind = payload.get("value_kind") or ValueKind.AMOUNT
    return format_value(payload.get(key), kind, payload.get("unit", ""))
