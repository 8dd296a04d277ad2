"""Serializer fields that take JSON types at their word."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers
from rest_framework.utils import html

from config.personal_data import no_personal_identity_number


class StrictCharField(serializers.CharField):
    """Text must arrive as a JSON string: `0`, `1.5` or `true` is a 400, not the text "0".

    DRF's CharField turns numbers into text; the schema says `type: string`, so a client sending
    a number has a bug it should hear about. Form and multipart values are always strings.

    Every text the API takes in comes through this field, so it is where the API refuses a
    personal identity number (config/personal_data.py), whether or not a model column is behind
    the text (a model column's copy of the validator is not added twice).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.read_only and no_personal_identity_number not in self.validators:
            self.validators.append(no_personal_identity_number)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text columns get StrictCharField."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """In JSON, `""` is not an id: DRF reads it as null (for HTML forms), the schema does not."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        initial = getattr(self.root, "initial_data", None)
        if data == "" and not html.is_html_input(initial):
            self.fail("incorrect_type", data_type="str")
        return super().run_validation(data)
