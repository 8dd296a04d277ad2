"""Whether a file may be attached is decided by its bytes, not by its name."""

from __future__ import annotations

import io

import pytest

from documents.sniffing import sniff_content_type
from tests.documents.files import EXE, PDF, PNG, docx_bytes, odt_bytes, ole_bytes, plain_zip_bytes


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF, "rapport.pdf", "application/pdf"),
        (PDF, "rapport.txt", "application/pdf"),
        (PNG, "bild.png", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "foto.jpg", "image/jpeg"),
        (
            docx_bytes(),
            "protokoll.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (odt_bytes(), "protokoll.odt", "application/vnd.oasis.opendocument.text"),
        (ole_bytes("WordDocument"), "gammal.doc", "application/msword"),
        (ole_bytes("Workbook"), "tabell.xls", "application/vnd.ms-excel"),
        ("kommun;antal\nSödertälje;14\n".encode(), "siffror.csv", "text/csv"),
        ("Anteckningar från mötet.\n".encode(), "anteckningar.txt", "text/plain"),
    ],
)
def test_accepted_kinds_are_recognised_by_their_content(
    content: bytes, name: str, expected: str
) -> None:
    assert sniff_content_type(io.BytesIO(content), name) == expected


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (EXE, "rapport.pdf"),
        (EXE, "rapport.txt"),
        (plain_zip_bytes(), "rapport.docx"),
        (ole_bytes("\x05SummaryInformation"), "installer.doc"),  # an OLE file, not Office
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40, "notes.txt"),
        (b"", "empty.pdf"),
    ],
)
def test_programs_archives_and_binaries_are_refused_whatever_their_name(
    content: bytes, name: str
) -> None:
    assert sniff_content_type(io.BytesIO(content), name) is None
