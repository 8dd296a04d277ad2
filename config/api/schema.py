"""OpenAPI: the token scheme, retry and If-Match headers, and every error shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .fields import StrictCharField
from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import MAX_KEY_LENGTH

DETAIL = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
STALE = inline_serializer(
    "StaleVersionError",
    {
        "detail": serializers.CharField(),
        "current_version": serializers.IntegerField(required=False),
    },
)
FIELD_ERRORS = OpenApiResponse(
    inline_serializer(
        "FieldErrors",
        {
            "detail": serializers.CharField(
                required=False, help_text="A body or query that could not be parsed."
            ),
            "non_field_errors": serializers.ListField(
                child=serializers.CharField(), required=False
            ),
        },
    ),
    description="Bad input: a list of messages per field (`non_field_errors` for the rest), "
    "or `detail` for a body that could not be parsed (e.g. text with a NUL character). "
    "Nothing was changed.",
)
COMMON_ERRORS: dict[str, tuple[Any, str]] = {
    "400": (FIELD_ERRORS, ""),
    "401": (DETAIL, "Not authenticated, or the token is invalid or revoked."),
    "403": (DETAIL, "Authenticated, but not allowed to do this to a visible object."),
    "404": (DETAIL, "No such object, or one the user may not see."),
    "429": (DETAIL, "Too many requests; retry after the Retry-After header's seconds."),
}
WRITE_ERRORS = {
    "413": (DETAIL, "The request body is too large: nothing changed."),
    "415": (DETAIL, "The body's Content-Type is not JSON, a form or multipart."),
}
IDEMPOTENT_POST_ERRORS = {
    "409": (
        FIELD_ERRORS,
        "The workflow does not allow this status change; or a retried request whose first "
        "answer held a secret shown only once (`previous` holds the rest of that answer).",
    ),
    "422": (DETAIL, "The Idempotency-Key was used before for a different request."),
}
VERSIONED_UPDATE_ERRORS = {
    "412": (STALE, "If-Match or `version` names an older version: nothing changed.")
}


def _needs_text(field: Any) -> bool:
    return (
        type(field) in (serializers.CharField, StrictCharField)
        and not field.read_only
        and not field.allow_blank
        and field.trim_whitespace
    )


class AutoSchema(SpectacularAutoSchema):
    """Documents every error status the server answers for an operation, and only those."""

    def _error_statuses(self) -> dict[str, tuple[Any, str]]:
        errors = dict(COMMON_ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(WRITE_ERRORS)
        if self.method == "POST" and getattr(self.view, "idempotent_posts", False):
            errors.update(IDEMPOTENT_POST_ERRORS)
        if self.method in ("PUT", "PATCH") and getattr(self.view, "etag_versioned", False):
            errors.update(VERSIONED_UPDATE_ERRORS)
        return errors

    def map_parsers(self) -> list[str]:
        """Request bodies are documented as JSON only.

        Forms and multipart still parse (the same validation applies), but they cannot say
        `null` or a list of ids the way the schema's types do, so documenting them would promise
        requests the server must refuse.
        """
        media_types = super().map_parsers()
        return [m for m in media_types if m == "application/json"] or media_types

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            # drf-spectacular's pattern lets "" and "-" through; the field needs a digit.
            schema["pattern"] = schema["pattern"].replace(r"\d{0,", r"\d{1,")
        elif direction == "request" and _needs_text(field) and "pattern" not in schema:
            # The field trims whitespace and then refuses a blank: it needs one visible character.
            schema["pattern"] = r"\S"
        return schema

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, (body, description) in self._error_statuses().items():
            if code not in responses:
                response = self._get_response_for_code(body, code, direction=direction)
                if description:
                    response["description"] = description
                responses[code] = response
        return responses

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and getattr(self.view, "idempotent_posts", False):
            parameters.append(
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    str,
                    OpenApiParameter.HEADER,
                    description="Retry safely: a retried request with the same key and body "
                    f"returns the first response (at most {MAX_KEY_LENGTH} characters).",
                )
            )
        if self.method in ("PUT", "PATCH") and getattr(self.view, "etag_versioned", False):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description='The ETag of the version you edited, e.g. `"3"`; a stale one '
                    "gets 412 and changes nothing.",
                )
            )
        return parameters


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from /api/v1/tokens/: `Authorization: Bearer …`.",
        }
