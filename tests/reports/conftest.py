from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Generated files go to a directory of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_text(content: bytes) -> tuple[str, int]:
    """The PDF's text (whitespace folded to single spaces) and its number of pages."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


@pytest.fixture
def client_for(demo):  # type: ignore[no-untyped-def]
    """A test client signed in as the given persona (None: anonymous), English UI by default."""
    from django.test import Client

    def make(user: object, language: str = "en") -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return make
