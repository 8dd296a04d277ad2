"""The open-data page: what there is, under which licence, in Swedish and English."""

from __future__ import annotations

from django.test import Client


def _page(language: str) -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/data/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_links_every_dataset_format_schema_catalog_and_feed(demo) -> None:
    page = _page("en")
    for slug in ("cases", "participations", "actions", "measurements"):
        for url in (f"/data/{slug}.csv", f"/data/{slug}.json", f"/data/schema/{slug}.json"):
            assert f'href="{url}"' in page
    assert 'href="/data/catalog.jsonld"' in page
    assert 'href="/data/changes.atom"' in page
    assert 'href="http://creativecommons.org/publicdomain/zero/1.0/" rel="license"' in page


def test_the_page_explains_the_data_in_swedish_and_english(demo) -> None:
    english, swedish = _page("en"), _page("sv")
    assert "<h1>Open data</h1>" in english
    assert "<h1>Öppna data</h1>" in swedish
    assert "Participating organisations" in english
    assert "Deltagande organisationer" in swedish
    assert "Vad publiceras inte" in swedish


def test_every_page_footer_links_to_the_open_data(demo) -> None:
    assert 'href="/data/"' in Client().get("/cases/").content.decode()
