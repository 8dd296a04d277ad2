"""The Atom feed of changes to public cases: valid Atom, public cases only, nobody named."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from cases import services
from cases.choices import CaseStatus

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client) -> ET.Element:
    response = client.get("/data/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def _text(element: ET.Element, name: str) -> str:
    found = element.find(f"{ATOM}{name}")
    assert found is not None and (found.text or found.get("href")), f"no atom:{name}"
    return found.text or ""


def test_the_feed_is_atom_with_the_required_elements(open_world, client) -> None:
    feed = _feed(client)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        _text(feed, name)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Samverkan"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    ids = [_text(entry, "id") for entry in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    for entry in entries:
        _text(entry, "title")
        datetime.fromisoformat(_text(entry, "updated"))
        link = entry.find(f"{ATOM}link")
        assert link.get("href").startswith("http://testserver/cases/")


def test_the_feed_shows_changes_to_public_cases_only(open_world, client) -> None:
    services.case_transition(
        actor=open_world.anna, case=open_world.youth, to_status=CaseStatus.ON_HOLD, reason="Paus."
    )
    titles = [_text(entry, "title") for entry in _feed(client).findall(f"{ATOM}entry")]
    assert all(title.startswith(open_world.public.reference) for title in titles)
    assert not any(open_world.youth.reference in title for title in titles)


def test_an_approved_figure_is_a_change_and_an_unreviewed_one_is_not(open_world, client) -> None:
    summaries = [
        entry.find(f"{ATOM}summary").text or "" for entry in _feed(client).findall(f"{ATOM}entry")
    ]
    assert any("21.50" in summary for summary in summaries)
    assert not any("77.77" in summary for summary in summaries)


def test_a_change_says_what_changed_but_not_who_or_why(open_world, client) -> None:
    services.case_transition(
        actor=open_world.anna,
        case=open_world.public,
        to_status=CaseStatus.ON_HOLD,
        reason="Väntar på besked från Gustav Gardell.",
    )
    newest = _feed(client).find(f"{ATOM}entry")
    assert newest.find(f"{ATOM}summary").text == "Active → On hold"
    body = ET.tostring(newest, encoding="unicode")
    assert "Gustav" not in body and "Anna" not in body and "besked" not in body


def test_the_feed_costs_one_query_however_many_changes(
    open_world, client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        client.get("/data/changes.atom")
    for _ in range(3):
        services.case_transition(
            actor=open_world.anna, case=open_world.public, to_status="on_hold", reason="Paus."
        )
        services.case_transition(
            actor=open_world.anna, case=open_world.public, to_status="active", reason="Igen."
        )
    with django_assert_num_queries(1):
        client.get("/data/changes.atom")
