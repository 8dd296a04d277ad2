"""What a file is, decided by its bytes: a small signature table plus a look inside zip files.

The file name never decides whether a file is accepted: a program renamed to `.pdf` starts with
`MZ`, not `%PDF-`, and is refused. The name only chooses between two readings of the same safe
content (plain text or CSV). Office Open XML files are zips with `[Content_Types].xml`;
OpenDocument files are zips whose `mimetype` member names their type.
"""

from __future__ import annotations

import zipfile
from typing import IO

HEAD_BYTES = 8192
TEXT_SAMPLE_BYTES = 64 * 1024

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    # Word 97-2003, Excel 97-2003 and PowerPoint 97-2003 share the OLE2 compound file header.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)

OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_PREFIX = "application/vnd.oasis.opendocument."
# An OLE2 file is Office only when its directory names an Office stream (an installer package is
# OLE2 too); directory entries hold UTF-16 names.
OLE_STREAMS = {
    "WordDocument": "application/msword",
    "Workbook": "application/vnd.ms-excel",
    "Book": "application/vnd.ms-excel",
    "PowerPoint Document": "application/vnd.ms-powerpoint",
}
OLE_SCAN_BYTES = 4 * 1024 * 1024
ODF_TYPES = tuple(
    ODF_PREFIX + name
    for name in (
        "text",
        "spreadsheet",
        "presentation",
        "graphics",
        "chart",
        "formula",
        "text-template",
        "spreadsheet-template",
        "presentation-template",
    )
)
# Every type a stored file can have (the API documents downloads as these).
ACCEPTED_TYPES: tuple[str, ...] = tuple(
    dict.fromkeys(
        (
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/tiff",
            "image/webp",
            *OLE_STREAMS.values(),
            *OOXML_TYPES.values(),
            *ODF_TYPES,
            "text/csv",
            "text/plain",
        )
    )
)
# Control characters other than tab, newline, form feed and carriage return mark a binary file.
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13}) + b"\x7f"


def _seek_start(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _zip_type(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for prefix, content_type in OOXML_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None


def _ole_type(file: IO[bytes]) -> str | None:
    file.seek(0)
    content = file.read(OLE_SCAN_BYTES)
    file.seek(0)
    for stream, content_type in OLE_STREAMS.items():
        if stream.encode("utf-16-le") + b"\x00\x00" in content:
            return content_type
    return None


def _text_type(file: IO[bytes], file_name: str) -> str | None:
    file.seek(0)
    sample = file.read(TEXT_SAMPLE_BYTES)
    file.seek(0)
    if not sample or any(byte in _BINARY_BYTES for byte in sample):
        return None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 3:  # only a character cut at the sample's end is fine
            return None
    return "text/csv" if file_name.lower().endswith(".csv") else "text/plain"


def sniff_content_type(file: IO[bytes], file_name: str = "") -> str | None:
    """The file's type when it is one Samverkan accepts, else None. The position is left at 0."""
    head = _seek_start(file)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            if content_type == "application/x-ole-storage":
                return _ole_type(file)
            return content_type
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(file)
    return _text_type(file, file_name)
