"""Lost-update protection: an ETag per version, honoured through If-Match (or `version`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

ETAG = re.compile(r'\s*(?:W/)?"(\d{1,9})"\s*')


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The If-Match header does not name a version of this object.")
    default_code = "precondition_failed"


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


def expected_version(request: Request, body_version: int | None) -> int | None:
    """The version the client edited: from If-Match, else from the body's `version` field.

    Neither given means the client asked for no check (last write wins, as in plain HTTP).
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return body_version
    match = ETAG.fullmatch(header)
    if match is None:
        raise PreconditionFailed
    return int(match.group(1))
