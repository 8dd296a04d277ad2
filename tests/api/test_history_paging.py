"""The API's case history is read a page at a time from the database: follow `next` to the end
and every change appears once, newest first; a bad position or size is a 400 naming it."""

from __future__ import annotations

from cases.history import case_timeline


def _entry(row: dict) -> tuple:
    return (row["object_type"], row["object_id"], row["change_type"], row["when"], row["reason"])


def _walk(client, url: str) -> tuple[list[dict], int]:
    rows, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert set(body) == {"next", "results"}
        rows.extend(body["results"])
        url, pages = body["next"], pages + 1
        assert pages < 100, "the next links go round in circles"
    return rows, pages


def test_following_next_shows_every_change_once_newest_first(demo, api) -> None:
    whole = case_timeline(demo.youth)
    assert len(whole) > 50, "the demo case should have a long history"
    rows, pages = _walk(api(demo.carl), f"/api/v1/cases/{demo.youth.pk}/history/?page_size=9")
    assert pages == -(-len(whole) // 9)
    assert len(rows) == len(whole)
    expected = [(e.object_type, e.object_id, e.change_type, e.when, e.reason) for e in whole]
    seen = [_entry(row) for row in rows]
    assert len(set(seen)) == len(seen)
    assert [s[:3] + s[4:] for s in sorted(seen, key=repr)] == sorted(
        (e[:3] + e[4:] for e in expected), key=repr
    )
    assert [row["when"] for row in rows] == sorted((row["when"] for row in rows), reverse=True)


def test_the_first_page_is_the_newest_changes_with_who_and_what(demo, api) -> None:
    first = api(demo.carl).get(f"/api/v1/cases/{demo.youth.pk}/history/?page_size=5").json()
    newest = case_timeline(demo.youth, limit=5)
    assert [row["object_id"] for row in first["results"]] == [e.object_id for e in newest]
    assert first["next"].startswith("http://testserver/api/v1/cases/")
    assert "before=" in first["next"] and "page_size=5" in first["next"]


def test_a_garbled_position_or_a_page_number_is_a_400_naming_it(demo, api) -> None:
    client, url = api(demo.carl), f"/api/v1/cases/{demo.youth.pk}/history/"
    garbled = client.get(url, {"before": "yesterday"})
    assert garbled.status_code == 400 and "before" in garbled.json()
    numbered = client.get(url, {"page": "2"})
    assert numbered.status_code == 400 and "page" in numbered.json()
    too_big = client.get(url, {"page_size": "101"})
    assert too_big.status_code == 400 and "page_size" in too_big.json()


def test_someone_who_may_not_see_the_case_gets_a_404_for_any_page(demo, api) -> None:
    url = f"/api/v1/cases/{demo.youth.pk}/history/"
    first = api(demo.carl).get(url, {"page_size": 2}).json()["next"]
    assert api(demo.eve).get(url).status_code == 404
    assert api(demo.eve).get(first).status_code == 404
