"""Decisions on the web: the case page, the timeline, the register, a decision's page and the
form; as visible as their case."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from decisions.services import decision_take
from tests.helpers import nothing_written

CASE_PAGE_DECISION_QUERIES = 1


def _take(demo, case=None, **kwargs) -> Decision:  # type: ignore[no-untyped-def]
    fields = {"decided_on": timezone.localdate(), "text": "Kommittén beslutar om nattvandring."}
    return decision_take(actor=demo.anna, case=case or demo.youth, **{**fields, **kwargs})


def _detail(decision: Decision) -> str:
    return reverse("decision_detail", args=[decision.year, decision.number])


def test_a_decision_shows_on_its_case_page_and_in_its_timeline(demo, client_for) -> None:
    decision = _take(demo, text="Kommittén beslutar om nattvandring i Hovsjö.")
    client = client_for(demo.carl)
    page = client.get(reverse("case_detail", args=[demo.youth.reference])).content.decode()
    section = page.split('id="decisions"')[1].split("</section>")[0]
    assert decision.reference in section and "nattvandring i Hovsjö" in section
    assert "Record a decision" not in section  # only the committee records
    timeline = client.get(reverse("case_timeline", args=[demo.youth.reference])).content.decode()
    assert f"Decision {decision.reference}: Kommittén beslutar om nattvandring" in timeline


def test_a_revoked_decision_says_which_decision_revoked_it(demo, client_for) -> None:
    earlier = _take(demo, decided_on=timezone.localdate() - timedelta(days=2))
    later = _take(demo, text="Beslutet upphävs.", revokes=earlier)
    html = client_for(demo.carl).get(_detail(earlier)).content.decode()
    assert f"Revoked by {later.reference}" in html
    timeline = client_for(demo.carl).get(reverse("case_timeline", args=[demo.youth.reference]))
    assert f"(revokes {earlier.reference})" in timeline.content.decode()


def test_a_public_cases_decision_is_public(demo) -> None:
    decision = _take(demo, case=demo.public, text="Ärendet görs offentligt.")
    anonymous = Client()
    assert "Ärendet görs offentligt." in anonymous.get(_detail(decision)).content.decode()
    register = anonymous.get(reverse("decision_list")).content.decode()
    assert decision.reference in register


def test_a_restricted_cases_decision_does_not_exist_for_outsiders(demo, client_for) -> None:
    decision = _take(demo, text="Hemligt beslut om Hovsjö.")
    assert Client().get(_detail(decision)).status_code == 404
    assert client_for(demo.eve).get(_detail(decision)).status_code == 404
    for client in (Client(), client_for(demo.eve)):
        register = client.get(reverse("decision_list")).content.decode()
        assert "Hemligt beslut" not in register
        filtered = client.get(reverse("decision_list"), {"case": demo.youth.reference})
        assert "Hemligt beslut" not in filtered.content.decode()
    assert client_for(demo.olle).get(_detail(decision)).status_code == 200  # a participant


def test_anonymous_visitors_read_no_delegates_name(demo, client_for) -> None:
    decision = _take(demo, case=demo.public, decided_by="delegate", delegate=demo.anna)
    assert "Anna" not in Client().get(_detail(decision)).content.decode()
    assert "Anna" in client_for(demo.anna).get(_detail(decision)).content.decode()


def test_committee_records_a_decision_from_the_case_page(demo, client_for) -> None:
    client = client_for(demo.anna)
    page = client.get(reverse("case_detail", args=[demo.care.reference])).content.decode()
    form_url = reverse("decision_create", args=[demo.care.reference])
    assert form_url in page
    response = client.post(
        form_url,
        {"decided_on": timezone.localdate().isoformat(), "decided_by": "committee", "text": "Ja."},
    )
    decision = Decision.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == _detail(decision)
    assert decision.case == demo.care and decision.recorded_by == demo.anna


def test_the_form_shows_errors_by_the_fields_and_writes_nothing(demo, client_for) -> None:
    client = client_for(demo.anna)
    url = reverse("decision_create", args=[demo.care.reference])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with nothing_written():
        response = client.post(url, {"decided_on": tomorrow, "decided_by": "delegate", "text": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html


def test_others_cannot_open_the_form(demo, client_for) -> None:
    url = reverse("decision_create", args=[demo.youth.reference])
    assert client_for(demo.carl).get(url).status_code == 403
    assert client_for(demo.eve).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


def test_the_register_filters_by_year_and_case(demo, client_for) -> None:
    old = _take(demo, decided_on=timezone.localdate().replace(year=2020), text="Gammalt beslut.")
    _take(demo, case=demo.care, text="Nytt beslut om köerna.")
    client = client_for(demo.anna)
    by_year = client.get(reverse("decision_list"), {"year": 2020}).content.decode()
    assert old.reference in by_year and "Nytt beslut om köerna" not in by_year
    by_case = client.get(reverse("decision_list"), {"case": demo.care.reference.lower()})
    assert "Nytt beslut om köerna" in by_case.content.decode()
    assert "Gammalt beslut" not in by_case.content.decode()
    assert client.get(reverse("decision_list"), {"year": "x" * 50}).status_code == 200


def test_the_case_page_costs_the_same_with_many_decisions(
    demo, client_for, django_assert_num_queries
) -> None:
    from tests.web.test_case_page import CASE_PAGE_QUERIES

    client = client_for(demo.anna)
    url = reverse("case_detail", args=[demo.care.reference])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(url)
    for i in range(12):
        _take(demo, case=demo.care, text=f"Beslut {i}.")
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        html = client.get(url).content.decode()
    assert html.split('id="decisions"')[1].count("<tr>") == 5 + 1  # the newest five, a header


def test_the_register_costs_the_same_with_many_decisions(
    demo, client_for, django_assert_num_queries
) -> None:
    client = client_for(demo.carl)
    url = reverse("decision_list")
    client.get(url)
    with django_assert_num_queries(REGISTER_QUERIES):
        client.get(url)
    for i in range(30):
        _take(demo, text=f"Beslut {i}.")
    with django_assert_num_queries(REGISTER_QUERIES):
        html = client.get(url).content.decode()
    assert 'rel="next"' in html


REGISTER_QUERIES = 8
