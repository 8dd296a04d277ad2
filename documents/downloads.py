"""A file leaves Samverkan only through here, after the same access check as its owner's page."""

from __future__ import annotations

from django.http import FileResponse

from .models import AttachmentVersion


def version_response(version: AttachmentVersion) -> FileResponse:
    """The version's bytes as a download, never shown inline (a file cannot act as a page)."""
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file_name,
        content_type=version.content_type,
    )
    response["Content-Length"] = str(version.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
