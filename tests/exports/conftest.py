from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook


@pytest.fixture
def client_for(demo) -> Callable[..., Client]:
    """A test client signed in as the given persona (English UI unless asked otherwise)."""

    def make(user: object | None, language: str = "en") -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return make


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def workbook_of(response) -> Workbook:  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(body(response)))


def xlsx_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
