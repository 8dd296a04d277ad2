"""Who gets what from the attachment endpoints, on the restricted youth case and its police-led
action "Gemensam lägesbild" (no contributors). The file rows point at a PDF Carl attached to the
case. Personas and helpers: tests/api/test_persona_matrix.py."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from documents import services as document_services
from documents.models import Attachment, AttachmentVersion
from tests.api.test_persona_matrix import PERSONAS, Row, expect, world, youth_read  # noqa: F401
from tests.documents.files import pdf
from tests.helpers import nothing_written

URL = "/api/v1/attachments/"


def _file_url(suffix: str = "") -> Callable[[SimpleNamespace], str]:
    return lambda w: f"{URL}{w.youth_file.pk}/{suffix}"


def _upload_to(kind: str) -> Callable[[SimpleNamespace], dict[str, Any]]:
    def body(w: SimpleNamespace) -> dict[str, Any]:
        owner_id = w.youth.pk if kind == "case" else w.actions.picture.pk
        return {"owner_kind": kind, "owner_id": owner_id, "title": "Underlag", "file": pdf()}

    return body


def _list_of(kind: str) -> Callable[[SimpleNamespace], str]:
    def url(w: SimpleNamespace) -> str:
        owner_id = w.youth.pk if kind == "case" else w.actions.picture.pk
        return f"{URL}?owner_kind={kind}&owner_id={owner_id}"

    return url


# Working participants and the case's managers attach; an observer sees but does not.
ATTACH_TO_CASE = expect(201, olle=403, eve=404, anonymous=401)
# The action's lead organisation (the police) and the case's managers attach to the action.
ATTACH_TO_ACTION = expect(201, sara=403, olle=403, eve=404, anonymous=401)
# The case's managers, and whoever added the file (Carl, who is one of them), remove it.
REMOVE = expect(403, anna=204, carl=204, eve=404, anonymous=401)

ROWS = [
    Row("case files", "get", _list_of("case"), youth_read()),
    Row("action files", "get", _list_of("action"), youth_read()),
    Row("file detail", "get", _file_url(), youth_read()),
    Row("file versions", "get", _file_url("versions/"), youth_read()),
    Row("file download", "get", _file_url("download/"), youth_read()),
    Row("earlier version download", "get", _file_url("versions/1/download/"), youth_read()),
    Row("attach to case", "post", lambda w: URL, ATTACH_TO_CASE, _upload_to("case")),
    Row("attach to action", "post", lambda w: URL, ATTACH_TO_ACTION, _upload_to("action")),
    Row(
        "replace file",
        "post",
        _file_url("versions/"),
        ATTACH_TO_CASE,
        lambda w: {"file": pdf("v2.pdf")},
    ),
    Row("remove file", "delete", _file_url(), REMOVE),
]


@pytest.fixture
def files_world(world: SimpleNamespace, settings, tmp_path) -> SimpleNamespace:  # type: ignore[no-untyped-def]  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world.youth_file = document_services.attachment_add(
        actor=world.carl, owner=world.youth, title="Lägesbild", file=pdf()
    )
    return world


def _file_rows() -> tuple[int, int, int]:
    return (
        Attachment.objects.count(),
        Attachment.objects.filter(removed=True).count(),
        AttachmentVersion.objects.count(),
    )


@pytest.mark.parametrize(
    ("row", "persona"),
    [(row, persona) for row in ROWS for persona in PERSONAS],
    ids=[f"{row.name} [{row.method.upper()}] as {persona}" for row in ROWS for persona in PERSONAS],
)
def test_persona_gets_the_status_the_rules_say(files_world, api, row: Row, persona: str) -> None:
    client = api(None if persona == "anonymous" else getattr(files_world, persona))
    expected = row.expected[persona]
    send = getattr(client, row.method)
    kwargs = {"format": "multipart"} if row.method == "post" else {}
    if row.method != "get" and expected >= 300:
        before = _file_rows()
        with nothing_written():
            response = send(row.url(files_world), row.body(files_world), **kwargs)
        assert _file_rows() == before
    else:
        response = send(row.url(files_world), row.body(files_world) or None, **kwargs)
    assert response.status_code == expected, response.content[:500]
