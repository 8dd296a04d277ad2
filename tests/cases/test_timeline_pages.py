"""The case timeline read a page at a time: newest first, filtered by kind, every entry once."""

from __future__ import annotations

from cases import services
from cases.history import TimelineCursor, case_timeline, case_timeline_page
from cases.models import Theme


def _walk(case, *, size: int, kinds=None) -> list:
    entries, before, pages = [], None, 0
    while True:
        options = {"kinds": kinds} if kinds else {}
        page = case_timeline_page(case, size=size, before=before, **options)
        entries.extend(page.entries)
        pages += 1
        assert pages < 100, "the older-entries links go round in circles"
        if page.older is None:
            return entries
        before = TimelineCursor.decode(page.older.encode())


def _signature(entry) -> tuple:
    changes = [(c.field, c.old, c.new) for c in entry.changes]
    what = (entry.object_type, entry.object_id, entry.change_type)
    return (*what, entry.when, entry.reason, changes)


def test_paging_through_the_timeline_shows_every_entry_once_as_the_whole_timeline_does(
    demo,
) -> None:
    whole = case_timeline(demo.youth)
    assert len(whole) > 50, "the demo case should have a long history"
    paged = _walk(demo.youth, size=7)
    assert sorted(map(_signature, paged), key=repr) == sorted(map(_signature, whole), key=repr)
    assert [e.when for e in paged] == sorted((e.when for e in paged), reverse=True)
    assert paged[-1].object_type == "case" and paged[-1].change_type == "created"


def test_a_kind_filter_leaves_only_that_kind(demo) -> None:
    entries = _walk(demo.youth, size=10, kinds=["measurement", "outcome"])
    assert entries and {e.object_type for e in entries} == {"measurement", "outcome"}
    whole = [e for e in case_timeline(demo.youth) if e.object_type in ("measurement", "outcome")]
    assert len(entries) == len(whole)


def test_a_garbled_cursor_reads_as_the_first_page() -> None:
    for value in (None, "", "x", "2026-01-01~case~1", "2026-01-01T00:00:00+00:00~user~1", "a~b~c"):
        assert TimelineCursor.decode(value) is None


def test_a_page_reads_a_fixed_number_of_queries_for_a_new_and_a_long_case(
    demo, django_assert_num_queries
) -> None:
    small = services.case_create(
        actor=demo.anna,
        title="Ny",
        summary="S",
        theme=Theme.objects.first(),
        scope_areas=[demo.orgs.malmo],
        coordinator=demo.carl,
    )
    # Per kind (seven, with decisions and attachments): the page, the previous records; plus one per
    # many-to-many field (3 in all).
    for case in (small, demo.youth):
        with django_assert_num_queries(17):
            case_timeline_page(case, size=10)
