"""Who gets what from the attachment endpoints, on the restricted youth case and its police-led
action "Gemensam lägesbild" (no contributors), a decision on the youth case and a committee
meeting. The file rows point at a PDF Carl attached to the case, a paper Anna attached to the
decision and one Carl (the secretariat) attached to the meeting. Personas and helpers:
tests/api/test_persona_matrix.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from decisions import services as decision_services
from documents import services as document_services
from documents.models import Attachment, AttachmentVersion
from meetings import services as meeting_services
from tests.api.test_persona_matrix import PERSONAS, Row, expect, world, youth_read  # noqa: F401
from tests.documents.files import pdf
from tests.helpers import nothing_written

URL = "/api/v1/attachments/"


def _file_url(suffix: str = "") -> Callable[[SimpleNamespace], str]:
    return lambda w: f"{URL}{w.youth_file.pk}/{suffix}"


def _owned_url(name: str, suffix: str = "") -> Callable[[SimpleNamespace], str]:
    return lambda w: f"{URL}{getattr(w, name).pk}/{suffix}"


def _owner_id(w: SimpleNamespace, kind: str) -> int:
    return {
        "case": w.youth.pk,
        "action": w.actions.picture.pk,
        "decision": w.decision.pk,
        "meeting": w.meeting.pk,
    }[kind]


def _upload_to(kind: str) -> Callable[[SimpleNamespace], dict[str, Any]]:
    def body(w: SimpleNamespace) -> dict[str, Any]:
        owner_id = _owner_id(w, kind)
        return {"owner_kind": kind, "owner_id": owner_id, "title": "Underlag", "file": pdf()}

    return body


def _list_of(kind: str) -> Callable[[SimpleNamespace], str]:
    def url(w: SimpleNamespace) -> str:
        return f"{URL}?owner_kind={kind}&owner_id={_owner_id(w, kind)}"

    return url


# Working participants and the case's managers attach; an observer sees but does not.
ATTACH_TO_CASE = expect(201, olle=403, eve=404, anonymous=401)
# The action's lead organisation (the police) and the case's managers attach to the action.
ATTACH_TO_ACTION = expect(201, sara=403, olle=403, eve=404, anonymous=401)
# The case's managers, and whoever added the file (Carl, who is one of them), remove it.
REMOVE = expect(403, anna=204, carl=204, eve=404, anonymous=401)
# A decision is read as its case is; its papers are added, replaced and removed by the committee.
DECISION_WRITE = expect(403, anna=201, eve=404, anonymous=401)
DECISION_REMOVE = expect(403, anna=204, eve=404, anonymous=401)
# A meeting exists only for the committee (anna) and the secretariat (carl); both add its papers.
MEETING_READ = expect(404, anna=200, carl=200)
MEETING_WRITE = expect(404, anna=201, carl=201, anonymous=401)
MEETING_REMOVE = expect(404, anna=204, carl=204, anonymous=401)

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
    Row("decision files", "get", _list_of("decision"), youth_read()),
    Row("decision file detail", "get", _owned_url("decision_file"), youth_read()),
    Row("decision file download", "get", _owned_url("decision_file", "download/"), youth_read()),
    Row("attach to decision", "post", lambda w: URL, DECISION_WRITE, _upload_to("decision")),
    Row(
        "replace decision file",
        "post",
        _owned_url("decision_file", "versions/"),
        DECISION_WRITE,
        lambda w: {"file": pdf("v2.pdf")},
    ),
    Row("remove decision file", "delete", _owned_url("decision_file"), DECISION_REMOVE),
    Row("meeting files", "get", _list_of("meeting"), MEETING_READ),
    Row("meeting file detail", "get", _owned_url("meeting_file"), MEETING_READ),
    Row("meeting file download", "get", _owned_url("meeting_file", "download/"), MEETING_READ),
    Row("attach to meeting", "post", lambda w: URL, MEETING_WRITE, _upload_to("meeting")),
    Row(
        "replace meeting file",
        "post",
        _owned_url("meeting_file", "versions/"),
        MEETING_WRITE,
        lambda w: {"file": pdf("v2.pdf")},
    ),
    Row("remove meeting file", "delete", _owned_url("meeting_file"), MEETING_REMOVE),
]


@pytest.fixture
def files_world(world: SimpleNamespace, settings, tmp_path) -> SimpleNamespace:  # type: ignore[no-untyped-def]  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world.youth_file = document_services.attachment_add(
        actor=world.carl, owner=world.youth, title="Lägesbild", file=pdf()
    )
    world.decision = decision_services.decision_take(
        actor=world.anna,
        case=world.youth,
        decided_on=timezone.localdate(),
        text="Kommittén ställer sig bakom den gemensamma lägesbilden.",
    )
    world.decision_file = document_services.attachment_add(
        actor=world.anna, owner=world.decision, title="Beslutsunderlag", file=pdf()
    )
    starts = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    world.meeting = meeting_services.meeting_create(
        actor=world.anna,
        title="Kommittésammanträde",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rosenbad",
    )
    world.meeting_file = document_services.attachment_add(
        actor=world.carl, owner=world.meeting, title="Kallelse", file=pdf()
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
