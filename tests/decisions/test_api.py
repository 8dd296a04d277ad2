"""Decisions in the API: listed and read as their case is, recorded by the committee,
revoked only by a later decision."""

from __future__ import annotations

from django.utils import timezone

from decisions.models import Decision
from decisions.services import decision_take
from tests.helpers import nothing_written

URL = "/api/v1/decisions/"


def _take(demo, case=None, **kwargs) -> Decision:  # type: ignore[no-untyped-def]
    fields = {"decided_on": timezone.localdate(), "text": "Beslut."}
    return decision_take(actor=demo.anna, case=case or demo.youth, **{**fields, **kwargs})


def _body(demo, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    return {
        "case": demo.youth.pk,
        "decided_on": timezone.localdate().isoformat(),
        "text": "Kommittén beslutar.",
        **kwargs,
    }


def test_committee_revokes_a_decision_by_recording_a_later_one(demo, api) -> None:
    earlier = _take(demo)
    response = api(demo.anna).post(URL, _body(demo, revokes=earlier.pk), format="json")
    assert response.status_code == 201, response.content
    later = response.json()
    assert later["revokes_reference"] == earlier.reference
    shown = api(demo.carl).get(f"{URL}{earlier.pk}/").json()
    assert shown["revoked_by_reference"] == later["reference"]


def test_a_second_revocation_is_a_400_naming_the_field(demo, api) -> None:
    earlier = _take(demo)
    _take(demo, revokes=earlier)
    with nothing_written():
        response = api(demo.anna).post(URL, _body(demo, revokes=earlier.pk), format="json")
    assert response.status_code == 400
    assert "revokes" in response.json()


def test_there_is_no_way_to_change_or_delete_a_decision(demo, api) -> None:
    decision = _take(demo)
    client = api(demo.anna)
    assert client.patch(f"{URL}{decision.pk}/", {"text": "Annat"}, format="json").status_code == 405
    assert client.delete(f"{URL}{decision.pk}/").status_code == 405
    assert Decision.objects.get(pk=decision.pk).text == "Beslut."


def test_public_cases_decisions_are_public_and_restricted_ones_do_not_exist(demo, api) -> None:
    public = _take(demo, case=demo.public)
    restricted = _take(demo)
    for client in (api(None), api(demo.eve)):
        assert client.get(f"{URL}{public.pk}/").status_code == 200
        assert client.get(f"{URL}{restricted.pk}/").status_code == 404
        listed = {row["id"] for row in client.get(URL, {"page_size": 100}).json()["results"]}
        assert public.pk in listed and restricted.pk not in listed


def test_the_list_filters_by_case_and_year(demo, api) -> None:
    old = _take(demo, decided_on=timezone.localdate().replace(year=2019))
    on_care = _take(demo, case=demo.care)
    client = api(demo.anna)
    by_year = client.get(URL, {"year": 2019}).json()["results"]
    assert [row["reference"] for row in by_year] == [old.reference]
    by_case = client.get(URL, {"case": demo.care.pk}).json()["results"]
    assert on_care.pk in {row["id"] for row in by_case}
    assert all(row["case"] == demo.care.pk for row in by_case)


def test_outsiders_read_no_delegate(demo, api) -> None:
    decision = _take(demo, case=demo.public, decided_by="delegate", delegate=demo.anna)
    assert api(None).get(f"{URL}{decision.pk}/").json()["delegate"] is None
    assert api(demo.anna).get(f"{URL}{decision.pk}/").json()["delegate"] == demo.anna.pk


def test_the_list_costs_the_same_with_many_decisions(demo, api, django_assert_num_queries) -> None:
    client = api(demo.carl)
    client.get(URL)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(URL)
    for i in range(30):
        _take(demo, text=f"Beslut {i}.")
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(URL).json()["next"]


LIST_QUERIES = 5
