"""Attachment pages and downloads: the owner page's access rule, errors by the field, versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import services
from documents.models import Attachment
from tests.documents.files import EXE, PDF, pdf, upload


def _read_urls(attachment: Attachment) -> list[str]:
    return [
        reverse("attachment_detail", kwargs={"pk": attachment.pk}),
        reverse("attachment_download", kwargs={"pk": attachment.pk}),
        reverse("attachment_version_download", kwargs={"pk": attachment.pk, "number": 1}),
        reverse("attachment_list", kwargs={"kind": "case", "pk": attachment.case_id}),
    ]


def _write_urls(attachment: Attachment) -> list[str]:
    return [
        reverse("attachment_replace", kwargs={"pk": attachment.pk}),
        reverse("attachment_remove", kwargs={"pk": attachment.pk}),
        reverse("attachment_add", kwargs={"kind": "case", "pk": attachment.case_id}),
    ]


def test_a_restricted_cases_file_is_not_found_by_an_outsider(client_for, demo, youth_file) -> None:
    client = client_for(demo.eve)
    for url in _read_urls(youth_file) + _write_urls(youth_file):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_a_restricted_cases_file_is_not_found_by_anonymous(client_for, demo, youth_file) -> None:
    client = client_for(None)
    for url in _read_urls(youth_file):
        assert client.get(url).status_code == 404, url
    # Changing anything asks to sign in first, for any id at all: existence does not show.
    for url in _write_urls(youth_file):
        assert client.post(url).status_code == 302
    assert client.post("/attachments/999999/replace/").status_code == 302


def test_a_participant_downloads_the_file_as_an_attachment_never_inline(
    client_for, demo, youth_file
) -> None:
    response = client_for(demo.olle).get(reverse("attachment_download", args=[youth_file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="lagesbild.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_the_stored_file_is_not_reachable_under_a_media_url(client_for, demo, youth_file) -> None:
    stored = youth_file.versions.get().file
    for prefix in ("/media/", "/media-not-served/"):
        assert client_for(demo.anna).get(prefix + stored.name).status_code == 404


def test_the_case_page_lists_its_files_and_offers_to_attach_one(
    client_for, demo, youth_file
) -> None:
    page = client_for(demo.sara).get(reverse("case_detail", args=[demo.youth.reference]))
    html = page.content.decode()
    assert "Lägesbild hösten" in html
    assert reverse("attachment_download", args=[youth_file.pk]) in html
    assert reverse("attachment_add", kwargs={"kind": "case", "pk": demo.youth.pk}) in html
    observer = client_for(demo.olle).get(reverse("case_detail", args=[demo.youth.reference]))
    assert "Attach a file" not in observer.content.decode()


def test_attaching_through_the_form_shows_the_file_on_the_action_page(client_for, demo) -> None:
    action = demo.actions.picture
    client = client_for(demo.petra)
    url = reverse("attachment_add", kwargs={"kind": "action", "pk": action.pk})
    response = client.post(url, {"title": "Underlag", "file": pdf("underlag.pdf")})
    attachment = Attachment.objects.get(action=action)
    assert response.status_code == 302
    assert response["Location"] == reverse("attachment_detail", args=[attachment.pk])
    page = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "Underlag" in page and "underlag.pdf" in page


def test_a_renamed_program_gets_an_error_by_the_file_field(client_for, demo) -> None:
    url = reverse("attachment_add", kwargs={"kind": "case", "pk": demo.youth.pk})
    response = client_for(demo.carl).post(
        url, {"title": "Rapport", "file": upload(EXE, "rapport.pdf")}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["file"] and "cannot be attached" in errors["file"][0]
    assert 'id="id_file_errors"' in response.content.decode()
    assert not Attachment.objects.filter(case=demo.youth).exists()


def test_replacing_through_the_form_keeps_the_earlier_version_downloadable(
    client_for, demo, youth_file
) -> None:
    client = client_for(demo.sara)
    replace = reverse("attachment_replace", args=[youth_file.pk])
    new = pdf("lagesbild-v2.pdf", extra=b"% andra versionen\n")
    assert client.post(replace, {"title": "", "file": new}).status_code == 302
    detail = client.get(reverse("attachment_detail", args=[youth_file.pk])).content.decode()
    assert "lagesbild-v2.pdf" in detail and "lagesbild.pdf" in detail
    earlier = client_for(demo.olle).get(
        reverse("attachment_version_download", kwargs={"pk": youth_file.pk, "number": 1})
    )
    assert b"".join(earlier.streaming_content) == PDF
    current = client_for(demo.olle).get(reverse("attachment_download", args=[youth_file.pk]))
    assert b"andra versionen" in b"".join(current.streaming_content)
    timeline = client.get(reverse("case_timeline", args=[demo.youth.reference])).content
    assert "lagesbild-v2.pdf" in timeline.decode()


def test_removing_takes_the_file_off_the_page_and_its_download_answers_404(
    client_for, demo, youth_file
) -> None:
    client = client_for(demo.carl)
    response = client.post(reverse("attachment_remove", args=[youth_file.pk]), {"reason": "Fel"})
    assert response.status_code == 302
    page = client.get(reverse("case_detail", args=[demo.youth.reference])).content.decode()
    assert "Lägesbild hösten" in page  # in the timeline only: "Deleted: …"
    assert reverse("attachment_download", args=[youth_file.pk]) not in page
    assert client.get(reverse("attachment_download", args=[youth_file.pk])).status_code == 404


def test_a_partner_may_not_remove_someone_elses_file(client_for, demo, youth_file) -> None:
    url = reverse("attachment_remove", args=[youth_file.pk])
    assert client_for(demo.petra).post(url, {}).status_code == 403


def test_the_file_list_costs_the_same_for_many_files(
    client_for, demo, django_assert_num_queries
) -> None:
    client = client_for(demo.anna)
    url = reverse("attachment_list", kwargs={"kind": "case", "pk": demo.youth.pk})
    services.attachment_add(actor=demo.carl, owner=demo.youth, title="Ett", file=pdf())
    client.get(url)
    with django_assert_num_queries(_count(client, url)) as few:
        client.get(url)
    for number in range(30):
        services.attachment_add(actor=demo.carl, owner=demo.youth, title=f"F{number}", file=pdf())
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.num_pages == 2


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries.captured_queries)


@pytest.mark.parametrize("owner", ["case", "action"])
def test_the_owner_page_costs_the_same_with_many_files(
    client_for, demo, django_assert_num_queries, owner
) -> None:
    target = demo.youth if owner == "case" else demo.actions.picture
    url = (
        reverse("case_detail", args=[demo.youth.reference])
        if owner == "case"
        else reverse("action_detail", args=[target.pk])
    )
    client = client_for(demo.carl)
    services.attachment_add(actor=demo.carl, owner=target, title="Första", file=pdf())
    client.get(url)
    baseline = _count(client, url)
    for number in range(15):
        services.attachment_add(actor=demo.carl, owner=target, title=f"F{number}", file=pdf())
    with django_assert_num_queries(baseline):
        page = client.get(url)
    assert "All files" in page.content.decode()
