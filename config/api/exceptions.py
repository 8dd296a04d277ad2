"""One place that turns domain errors into HTTP answers (see cases/services/common.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.services import StaleVersion, TransitionNotAllowed


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """Django's errors by field; errors not tied to a field go under `non_field_errors`."""
    if hasattr(error, "error_dict"):
        errors = dict(error.message_dict)
        if "__all__" in errors:
            errors["non_field_errors"] = errors.pop("__all__")
        return errors
    return {"non_field_errors": list(error.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionNotAllowed):
        return Response(field_errors(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(field_errors(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleVersion):
        return Response(
            {
                "detail": _("Someone else changed this first; fetch it again and retry."),
                "current_version": exc.current_version,
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, RequestDataTooBig):
        # Over DATA_UPLOAD_MAX_MEMORY_SIZE (when API_MAX_BODY_BYTES is set higher): JSON, not HTML.
        return Response(
            {"detail": _("The request body is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A bare list of messages (e.g. DRF's search filter) gets the same shape as field errors.
        response.data = {"non_field_errors": response.data}
    return response
