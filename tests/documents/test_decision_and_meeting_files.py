"""Files on decisions (read as the decision's case, added by the committee) and on meetings (no
case: only the committee and the secretariat know them; the expected members hear of a file)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from decisions import services as decision_services
from documents import services
from documents.choices import OwnerKind
from documents.models import Attachment
from meetings import services as meeting_services
from notifications.choices import EventKind
from notifications.models import Event, Notification
from tests.documents.files import EXE, PDF, pdf, upload


@pytest.fixture
def decision(demo):  # type: ignore[no-untyped-def]
    return decision_services.decision_take(
        actor=demo.anna,
        case=demo.youth,
        decided_on=timezone.localdate(),
        text="Kommittén ställer sig bakom den gemensamma lägesbilden.",
    )


@pytest.fixture
def decision_file(demo, decision) -> Attachment:  # type: ignore[no-untyped-def]
    return services.attachment_add(
        actor=demo.anna, owner=decision, title="Beslutsunderlag", file=pdf("underlag.pdf")
    )


@pytest.fixture
def meeting(demo):  # type: ignore[no-untyped-def]
    starts = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    return meeting_services.meeting_create(
        actor=demo.anna,
        title="Kommittésammanträde december",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rosenbad, sal 3",
    )


@pytest.fixture
def meeting_file(demo, meeting) -> Attachment:  # type: ignore[no-untyped-def]
    return services.attachment_add(
        actor=demo.carl, owner=meeting, title="Kallelse och handlingar", file=pdf("kallelse.pdf")
    )


def _read_urls(attachment: Attachment, kind: str, owner_pk: int) -> list[str]:
    return [
        reverse("attachment_detail", args=[attachment.pk]),
        reverse("attachment_download", args=[attachment.pk]),
        reverse("attachment_version_download", kwargs={"pk": attachment.pk, "number": 1}),
        reverse("attachment_list", kwargs={"kind": kind, "pk": owner_pk}),
    ]


def _decision_url(decision) -> str:  # type: ignore[no-untyped-def]
    return reverse("decision_detail", kwargs={"year": decision.year, "number": decision.number})


def test_a_decision_file_belongs_to_the_decisions_case(decision_file, decision) -> None:
    assert decision_file.owner_kind == OwnerKind.DECISION
    assert decision_file.case_id == decision.case_id
    assert decision_file.decision_id == decision.pk


def test_a_restricted_cases_decision_file_is_not_found_by_an_outsider_or_anonymous(
    client_for, demo, decision, decision_file
) -> None:
    urls = _read_urls(decision_file, "decision", decision.pk)
    for client in (client_for(demo.eve), client_for(None)):
        for url in urls:
            assert client.get(url).status_code == 404, url
    add = reverse("attachment_add", kwargs={"kind": "decision", "pk": decision.pk})
    assert client_for(demo.eve).post(add).status_code == 404


def test_the_decision_page_lists_its_files_and_only_the_committee_may_attach(
    client_for, demo, decision, decision_file
) -> None:
    add = reverse("attachment_add", kwargs={"kind": "decision", "pk": decision.pk})
    page = client_for(demo.anna).get(_decision_url(decision)).content.decode()
    assert "Beslutsunderlag" in page and add in page
    partner = client_for(demo.olle).get(_decision_url(decision)).content.decode()
    assert reverse("attachment_download", args=[decision_file.pk]) in partner
    assert add not in partner
    assert client_for(demo.carl).post(add, {"title": "X", "file": pdf()}).status_code == 403


def test_a_decision_file_is_in_the_case_timeline_but_not_in_the_case_files(
    client_for, demo, decision_file
) -> None:
    client = client_for(demo.anna)
    timeline = client.get(reverse("case_timeline", args=[demo.youth.reference])).content.decode()
    assert "Beslutsunderlag" in timeline
    case_files = reverse("attachment_list", kwargs={"kind": "case", "pk": demo.youth.pk})
    assert "Beslutsunderlag" not in client.get(case_files).content.decode()


def test_a_meeting_file_has_no_case(meeting_file, meeting) -> None:
    assert meeting_file.case_id is None and meeting_file.meeting_id == meeting.pk


@pytest.mark.parametrize("persona", ["petra", "sara", "olle", "eve"])
def test_a_meeting_file_is_not_found_by_a_non_member(
    client_for, demo, meeting, meeting_file, persona
) -> None:
    client = client_for(getattr(demo, persona))
    for url in [
        *_read_urls(meeting_file, "meeting", meeting.pk),
        reverse("attachment_replace", args=[meeting_file.pk]),
        reverse("attachment_remove", args=[meeting_file.pk]),
        reverse("attachment_add", kwargs={"kind": "meeting", "pk": meeting.pk}),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_meeting_file_is_not_found_by_anonymous(client_for, meeting, meeting_file) -> None:
    client = client_for(None)
    for url in _read_urls(meeting_file, "meeting", meeting.pk):
        assert client.get(url).status_code == 404, url


def test_the_secretariat_attaches_through_the_form_and_the_meeting_page_lists_it(
    client_for, demo, meeting
) -> None:
    client = client_for(demo.carl)
    url = reverse("attachment_add", kwargs={"kind": "meeting", "pk": meeting.pk})
    response = client.post(url, {"title": "Dagordning", "file": pdf("dagordning.pdf")})
    attachment = Attachment.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == reverse("attachment_detail", args=[attachment.pk])
    page = client_for(demo.anna).get(reverse("meeting_detail", args=[meeting.pk])).content
    assert "dagordning.pdf" in page.decode()


def test_a_program_renamed_for_a_meeting_is_refused_by_the_file_field(
    client_for, demo, meeting
) -> None:
    url = reverse("attachment_add", kwargs={"kind": "meeting", "pk": meeting.pk})
    response = client_for(demo.anna).post(
        url, {"title": "Protokoll", "file": upload(EXE, "protokoll.pdf")}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert not Attachment.objects.filter(meeting=meeting).exists()


def test_replacing_a_meeting_file_keeps_the_earlier_version_and_removing_hides_it(
    client_for, demo, meeting, meeting_file
) -> None:
    client = client_for(demo.anna)
    replace = reverse("attachment_replace", args=[meeting_file.pk])
    new = pdf("kallelse-v2.pdf", extra=b"% rattad\n")
    assert client.post(replace, {"title": "", "file": new}).status_code == 302
    detail = client.get(reverse("attachment_detail", args=[meeting_file.pk])).content.decode()
    assert "kallelse-v2.pdf" in detail and "kallelse.pdf" in detail
    earlier = client.get(
        reverse("attachment_version_download", kwargs={"pk": meeting_file.pk, "number": 1})
    )
    assert b"".join(earlier.streaming_content) == PDF
    removed = client.post(reverse("attachment_remove", args=[meeting_file.pk]), {"reason": "Fel"})
    assert removed["Location"] == reverse("meeting_detail", args=[meeting.pk])
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "kallelse-v2.pdf" not in page


def test_the_expected_members_hear_of_a_meeting_file_and_nobody_else(
    demo, meeting, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            actor=demo.carl, owner=meeting, title="Handlingar", file=pdf()
        )
    event = Event.objects.get(kind=EventKind.ATTACHMENT_ADDED, object_id=attachment.pk)
    assert event.case is None
    recipients = set(Notification.objects.filter(event=event).values_list("recipient", flat=True))
    expected = set(meeting.expected_members.values_list("pk", flat=True)) - {demo.carl.pk}
    assert demo.anna.pk in recipients and recipients == expected
    assert not {demo.petra.pk, demo.sara.pk, demo.eve.pk} & recipients


def test_the_database_refuses_a_meeting_file_with_a_case(demo, meeting_file) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.filter(pk=meeting_file.pk).update(case=demo.youth)
