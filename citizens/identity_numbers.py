"""Personal identity numbers in what the public writes: refused, with a plain explanation.

The detection itself (ten or twelve digits, a real date or a samordningsnummer's day + 60, the
Luhn check digit) is the product's one rule in config/personal_data.py; this module only words
the refusal for a member of the public, who has no case and no organisation to refer to.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from config.personal_data import (
    IdentityNumber,
    NoPersonalIdentityNumber,
    find_identity_numbers,
)

MESSAGE = _(
    "This looks like a personal identity number (%(masked)s). Remove it: we do not keep them. "
    "Describe the situation without saying who it is about."
)


def first_identity_number(text: Any) -> IdentityNumber | None:
    """The first personnummer or samordningsnummer in `text`, masked; None when there is none."""
    return next(find_identity_numbers(text), None) if isinstance(text, str) else None


@deconstructible
class NoIdentityNumberInPublicText(NoPersonalIdentityNumber):
    """The product's guard with the public's wording. Equal to the general guard, so the
    form and API fields that add that guard by themselves do not add it a second time."""

    def __call__(self, value: Any) -> None:
        found = first_identity_number(value)
        if found is not None:
            raise ValidationError(MESSAGE, code=self.code, params={"masked": found.masked})


no_identity_number = NoIdentityNumberInPublicText()
