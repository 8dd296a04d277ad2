"""Attaching, replacing and removing files: who may, what is kept, what is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.history import case_timeline_page
from documents import selectors, services
from documents.models import Attachment, AttachmentVersion
from notifications.choices import EventKind
from notifications.models import Event
from tests.documents.files import EXE, docx_bytes, pdf, upload
from tests.helpers import nothing_written


def test_a_partner_attaches_a_file_to_an_action_their_organisation_works_on(demo) -> None:
    action = demo.actions.picture
    attachment = services.attachment_add(
        actor=demo.petra,
        owner=action,
        title="Lägesbild",
        file=upload(docx_bytes(), "lagesbild.docx"),
    )
    version = attachment.versions.get()
    assert (attachment.case, attachment.action, attachment.owner_kind) == (
        demo.youth,
        action,
        "action",
    )
    assert version.content_type.endswith("wordprocessingml.document")
    assert version.file.read()[:2] == b"PK"
    assert list(selectors.owner_attachments(action)) == [attachment]
    assert list(selectors.owner_attachments(demo.youth)) == []  # the action's, not the case's


def test_a_renamed_program_is_refused_by_the_file_field_and_nothing_is_written(demo) -> None:
    before = Attachment.objects.count(), AttachmentVersion.objects.count()
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.attachment_add(
            actor=demo.carl, owner=demo.youth, title="Rapport", file=upload(EXE, "rapport.pdf")
        )
    assert "file" in refused.value.message_dict
    assert (Attachment.objects.count(), AttachmentVersion.objects.count()) == before


def test_a_file_over_the_limit_is_refused(demo, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            actor=demo.carl, owner=demo.youth, title="Stor", file=pdf(extra=b"x" * 200)
        )
    assert "at most" in refused.value.message_dict["file"][0]


def test_an_observer_and_an_outsider_may_not_attach(demo) -> None:
    for user in (demo.olle, demo.eve):
        with pytest.raises(PermissionDenied):
            services.attachment_add(actor=user, owner=demo.youth, title="X", file=pdf())


def test_replacing_keeps_every_earlier_version(demo, youth_file) -> None:
    first = youth_file.versions.get()
    services.attachment_replace(
        actor=demo.sara, attachment=youth_file, file=pdf("lagesbild-v2.pdf", extra=b"% v2")
    )
    youth_file.refresh_from_db()
    versions = list(selectors.attachment_versions(youth_file))
    assert [v.number for v in versions] == [2, 1]
    assert youth_file.revision == 2 and youth_file.file_name == "lagesbild-v2.pdf"
    assert versions[1] == first and versions[1].file.read().startswith(b"%PDF")
    assert versions[0].file.name != versions[1].file.name


def test_add_replace_and_remove_are_events_and_timeline_entries(demo, youth_file) -> None:
    services.attachment_replace(actor=demo.carl, attachment=youth_file, file=pdf("v2.pdf"))
    services.attachment_remove(actor=demo.carl, attachment=youth_file, reason="Fel fil.")
    kinds = list(
        Event.objects.filter(object_type="attachment", object_id=youth_file.pk)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        EventKind.ATTACHMENT_ADDED,
        EventKind.ATTACHMENT_REPLACED,
        EventKind.ATTACHMENT_REMOVED,
    ]
    entries = case_timeline_page(demo.youth, size=3, kinds=["attachment"]).entries
    assert [e.change_type for e in entries] == ["deleted", "changed", "created"]
    assert entries[0].reason == "Fel fil." and entries[0].who == demo.carl
    assert {c.field for c in entries[1].changes} >= {"file_name", "revision"}


def test_a_removed_file_is_no_longer_listed_but_its_versions_are_kept(demo, youth_file) -> None:
    services.attachment_remove(actor=demo.anna, attachment=youth_file)
    assert list(selectors.owner_attachments(demo.youth)) == []
    assert AttachmentVersion.objects.filter(attachment=youth_file).count() == 1


def test_only_the_case_managers_and_whoever_added_it_may_remove_a_file(demo, youth_file) -> None:
    with pytest.raises(PermissionDenied):
        services.attachment_remove(actor=demo.petra, attachment=youth_file)
    services.attachment_remove(actor=demo.carl, attachment=youth_file)
