"""Attachments in the API: list, upload, replace, remove, download, with the case's access rule."""

from __future__ import annotations

from documents.models import Attachment
from tests.documents.files import EXE, PDF, pdf, upload

URL = "/api/v1/attachments/"


def test_a_partner_uploads_lists_and_downloads_through_the_api(api, demo) -> None:
    client = api(demo.sara)
    created = client.post(
        URL,
        {"owner_kind": "case", "owner_id": demo.youth.pk, "title": "Plan", "file": pdf("plan.pdf")},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["case"], body["title"], body["file_name"], body["version"]) == (
        demo.youth.reference,
        "Plan",
        "plan.pdf",
        1,
    )
    listed = client.get(URL, {"owner_kind": "case", "owner_id": demo.youth.pk}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    download = client.get(body["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_renamed_program_is_a_400_naming_the_file_field(api, demo) -> None:
    response = api(demo.carl).post(
        URL,
        {
            "owner_kind": "case",
            "owner_id": demo.youth.pk,
            "title": "X",
            "file": upload(EXE, "x.pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["file"]


def test_replacing_through_the_api_keeps_the_earlier_version(api, demo, youth_file) -> None:
    client = api(demo.petra)
    url = f"{URL}{youth_file.pk}/versions/"
    response = client.post(url, {"file": pdf("v2.pdf", extra=b"%v2")}, format="multipart")
    assert response.status_code == 201 and response.json()["version"] == 2
    versions = client.get(url).json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    earlier = client.get(versions[1]["download_url"])
    assert b"".join(earlier.streaming_content) == PDF


def test_a_restricted_cases_file_is_404_to_an_outsider_and_anonymous(api, demo, youth_file) -> None:
    for client in (api(demo.eve), api(None)):
        for path in ("", "download/", "versions/", "versions/1/download/"):
            assert client.get(f"{URL}{youth_file.pk}/{path}").status_code == 404
        listed = client.get(URL, {"owner_kind": "case", "owner_id": demo.youth.pk})
        assert listed.status_code == 404


def test_deleting_removes_the_file_from_the_list(api, demo, youth_file) -> None:
    client = api(demo.anna)
    assert client.delete(f"{URL}{youth_file.pk}/").status_code == 204
    assert client.get(f"{URL}{youth_file.pk}/").status_code == 404
    assert Attachment.objects.get(pk=youth_file.pk).removed


def test_an_upload_announcing_more_than_the_limit_is_413_before_it_is_read(
    api, demo, settings
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = api(demo.carl).post(
        URL,
        {
            "owner_kind": "case",
            "owner_id": demo.youth.pk,
            "title": "X",
            "file": pdf(extra=b"x" * 70_000),
        },
        format="multipart",
    )
    assert response.status_code == 413


def test_a_file_over_the_limit_within_the_form_allowance_is_a_400_on_the_file(
    api, demo, settings
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = api(demo.carl).post(
        URL,
        {
            "owner_kind": "case",
            "owner_id": demo.youth.pk,
            "title": "X",
            "file": pdf(extra=b"x" * 2000),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "too large" in response.json()["file"][0]
