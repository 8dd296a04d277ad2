"""The lessons library and the case page's lessons section, as readers see them: search by
words (Swedish forms on PostgreSQL) and theme, access by the case's rules, the evidence."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from cases import services as case_services
from cases.choices import CaseStatus
from cases.models import Case
from lessons import selectors, services
from lessons.models import Lesson
from tests.conftest import need

pytestmark = pytest.mark.django_db
LIBRARY_QUERIES = 11


def _malmo() -> Case:
    return Case.objects.get(title="Trygga unga i Malmö")


def _evaluated(demo, case: Case) -> Case:
    case_services.case_transition(
        actor=demo.anna, case=case, to_status=CaseStatus.EVALUATING, reason="Utvärdera."
    )
    return Case.objects.get(pk=case.pk)


def _public_lesson(demo) -> Lesson:
    case = _evaluated(demo, demo.public)
    return services.lesson_record(
        actor=demo.gustav,
        case=case,
        way_of_working="Mötesplatser i socknarna",
        what_worked="Civilsamhället och regionen samverkade om lokalerna.",
    )


def _ways(html: str, lessons) -> set[str]:
    return {lesson.way_of_working for lesson in lessons if lesson.way_of_working in html}


def test_the_demo_shows_lessons_of_a_closed_case_and_a_pending_request(demo) -> None:
    assert _malmo().status == CaseStatus.CLOSED and _malmo().lessons.count() == 3
    asked = Case.objects.get(title="Samordnat stöd till äldre i Malmö")
    assert selectors.pending_request(asked) is not None


def test_the_library_finds_a_lesson_by_theme_and_by_its_words(demo) -> None:
    rows = selectors.lesson_library(demo.anna, theme="youth-crime")
    assert {lesson.case_id for lesson in rows} == {_malmo().pk}
    assert not selectors.lesson_library(demo.anna, theme="care-queues").exists()
    found = selectors.lesson_library(demo.anna, q="sekretessen polisen")
    assert [lesson.way_of_working for lesson in found] == [
        "Gemensam ärendekonferens polis–socialtjänst"
    ]
    assert not selectors.lesson_library(demo.anna, q="sekretessen klimat").exists()


@pytest.mark.parametrize("word", ["samverkan", "samverkade", "samverka", "Samverkar"])
def test_any_form_of_samverka_finds_every_lesson_that_uses_one(demo, word) -> None:
    need(connection.vendor == "postgresql", "Swedish stemming needs PostgreSQL")
    found = {lesson.way_of_working for lesson in selectors.lesson_library(demo.anna, q=word)}
    # "samverkade" and "samverkar" in two lessons, "samverkan" in the third.
    assert found == {
        "Gemensam ärendekonferens polis–socialtjänst",
        "Delad lägesbild över skolfrånvaro",
        "Fältassistenter kvällstid",
    }


def test_the_best_match_comes_first(demo) -> None:
    need(connection.vendor == "postgresql", "ranking needs PostgreSQL")
    found = list(selectors.lesson_library(demo.anna, q="skolfrånvaro"))
    assert found[0].way_of_working == "Delad lägesbild över skolfrånvaro"


def test_anonymous_readers_see_lessons_of_public_cases_only(demo, client) -> None:
    public = _public_lesson(demo)
    html = client.get(reverse("lesson_library")).content.decode()
    assert public.way_of_working in html
    assert not _ways(html, _malmo().lessons.all())
    assert client.get(reverse("lesson_detail", args=[public.pk])).status_code == 200
    hidden = _malmo().lessons.first()
    assert client.get(reverse("lesson_detail", args=[hidden.pk])).status_code == 404


def test_a_restricted_cases_lessons_are_absent_for_those_who_do_not_see_it(
    demo, client_for
) -> None:
    html = client_for(demo.petra).get(reverse("lesson_library")).content.decode()
    assert not _ways(html, _malmo().lessons.all())
    html = client_for(demo.malik).get(reverse("lesson_library")).content.decode()
    assert _ways(html, _malmo().lessons.all()) == set(
        _malmo().lessons.values_list("way_of_working", flat=True)
    )


def test_the_library_shows_each_lesson_with_its_cases_approved_outcome(demo, client_for) -> None:
    html = client_for(demo.anna).get(reverse("lesson_library")).content.decode()
    html = html.replace("\xa0", " ")
    assert "Färre unga som återfaller i brott" in html
    assert "29 personer" in html and "baseline 48 personer, target 30 personer" in html
    assert "Target reached" in html and 'class="lesson-trend"' in html


def test_the_filters_narrow_the_library(demo, client_for) -> None:
    client = client_for(demo.anna)
    url = reverse("lesson_library")
    html = client.get(url, {"theme": "care-queues"}).content.decode()
    assert "No lesson matches" in html
    html = client.get(url, {"sector_mix": "municipality+region", "q": "fältassistenter"})
    assert "Fältassistenter kvällstid" in html.content.decode()
    assert client.get(url, {"theme": "no-such-theme"}).status_code == 200


def test_the_library_costs_the_same_queries_for_one_lesson_or_a_full_page(
    demo, client_for, django_assert_num_queries
) -> None:
    client = client_for(demo.anna)
    url = reverse("lesson_library")
    with django_assert_num_queries(LIBRARY_QUERIES):
        client.get(url, {"q": "fältassistenter"})
    cases = [_evaluated(demo, demo.youth), _evaluated(demo, demo.school)]
    for number in range(30):
        services.lesson_record(
            actor=demo.carl,
            case=cases[number % 2],
            way_of_working=f"Arbetssätt {number}",
            what_worked="Ja.",
        )
    with django_assert_num_queries(LIBRARY_QUERIES):
        html = client.get(url).content.decode()
    assert "Page 1 of 2" in html


def test_an_active_case_suggests_lessons_from_cases_of_its_theme(demo, client_for) -> None:
    html = client_for(demo.anna).get(reverse("case_detail", args=[demo.youth.reference]))
    html = html.content.decode()
    assert "Lessons from similar cases" in html and "Fältassistenter kvällstid" in html
    assert "/lessons/?theme=youth-crime" in html
    # Carl does not see the Malmö case, nor its lessons.
    html = client_for(demo.carl).get(reverse("case_detail", args=[demo.youth.reference]))
    assert "Fältassistenter kvällstid" not in html.content.decode()


def test_an_evaluated_case_asks_its_coordinator_and_offers_to_record(demo, client_for) -> None:
    case = _evaluated(demo, demo.youth)
    url = reverse("case_detail", args=[case.reference])
    html = client_for(demo.carl).get(url).content.decode()
    assert "Lessons learned are asked of you" in html
    assert reverse("lesson_record", args=[case.reference]) in html
    html = client_for(demo.olle).get(url).content.decode()
    assert "Lessons learned are asked of you" not in html
    assert reverse("lesson_record", args=[case.reference]) not in html


def test_recording_on_the_page_shows_errors_by_the_field_then_the_lesson(demo, client_for) -> None:
    case = _evaluated(demo, demo.youth)
    client = client_for(demo.petra)
    url = reverse("lesson_record", args=[case.reference])
    response = client.post(url, {"way_of_working": "Nattvandring"})
    assert response.status_code == 200
    assert "Write what worked, what did not, or both." in response.content.decode()
    response = client.post(url, {"way_of_working": "Nattvandring", "what_did_not": "Få kom."})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nattvandring" in page and "Få kom." in page
    html = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Nattvandring" in html


def test_the_form_is_refused_on_an_active_case_and_hidden_from_outsiders(demo, client_for) -> None:
    url = reverse("lesson_record", args=[demo.youth.reference])
    assert client_for(demo.carl).get(url).status_code == 403
    assert client_for(demo.eve).get(url).status_code == 404


def test_the_evaluated_case_page_costs_one_query_more_for_the_coordinators_request(
    demo, client_for
) -> None:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    client = client_for(demo.carl)
    url = reverse("case_detail", args=[demo.youth.reference])
    with CaptureQueriesContext(db) as active:
        client.get(url)
    _evaluated(demo, demo.youth)
    for number in range(6):
        services.lesson_record(
            actor=demo.carl, case=demo.youth, way_of_working=f"Sätt {number}", what_worked="Ja."
        )
    with CaptureQueriesContext(db) as evaluated:
        html = client.get(url).content.decode()
    assert "All lessons in the library" in html
    assert len(evaluated) == len(active) + 1
