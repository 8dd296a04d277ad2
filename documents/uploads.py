"""The upload size limit, enforced while the request body arrives (never after reading it whole).

`SizeLimitUploadHandler` comes first in FILE_UPLOAD_HANDLERS:

1. A request that announces (Content-Length) more than the limit plus room for the form's other
   fields is marked when parsing starts; the form fields before the file (the CSRF token, the
   title) are still read, and at the file's first header parsing stops without reading on.
2. A file that turns out larger than the limit while it streams in stops the upload at the
   first chunk over it.

Either way the parser halts with `StopUpload(connection_reset=True)`, so the rest of the body is
never read, and the request carries `upload_refusals` naming the refused fields: the form and
the API serializer turn that into an error by the field (see `refused_too_large`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# Room for the multipart framing and the small fields sent with a file (title, owner, token).
FORM_OVERHEAD_BYTES = 64 * 1024


def attachment_max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_body_max_bytes() -> int:
    """The largest request body that can carry a file within the limit."""
    return attachment_max_bytes() + FORM_OVERHEAD_BYTES


def limit_in_megabytes() -> str:
    megabytes = attachment_max_bytes() / (1024 * 1024)
    return f"{megabytes:.1f}".rstrip("0").rstrip(".")


def refused_too_large(request: Any, field_name: str) -> bool:
    """Whether the upload handler stopped the file in `field_name` for its size."""
    raw = getattr(request, "_request", request)  # a DRF request wraps Django's
    return field_name in getattr(raw, "upload_refusals", set())


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.announced_too_large = content_length > upload_body_max_bytes()

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        if getattr(self, "announced_too_large", False):
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > attachment_max_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        request: HttpRequest | None = self.request
        if request is not None:
            refusals = getattr(request, "upload_refusals", set())
            refusals.add(self.field_name)
            request.upload_refusals = refusals  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=True)
