"""The case page that fits: a summary, bounded sections with their "show all" pages, the paged
timeline, a fixed number of queries whatever the case holds, and text limits everywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import (
    LONG_TEXT_MAX_LENGTH,
    PROBLEM_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    Participation,
    Theme,
)
from cases.views.case_sections import ACTION_ROWS, LATEST_VALUES

from .scenario import build_case

pytestmark = pytest.mark.django_db

# The case page as its coordinator sees it: the header (user, organisations, unread count), the
# case and its participants, action counts, next deadlines, the first actions per status with
# their contributors and dependencies, outcomes with all and latest values, the timeline's
# first page (15 queries) and the names it mentions (5), following; the participations are the
# first few of each state plus their counts (one query more since the page no longer reads them
# all); the decisions section (1), the obstacles (1), the newest attached files (1), and the
# timeline records of decisions and attachments (2 each); whether the reader's organisation has
# a trust self-assessment to answer (1, only for a reader with organisations: not here); the
# lessons section (1: lessons of similar cases, or the case's own once it is evaluated).
CASE_PAGE_QUERIES = 45
TIMELINE_PAGE_QUERIES = 28  # 24 + the decisions and attachments in the timeline (2 each)


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _new_case(demo):
    return services.case_create(
        actor=demo.anna,
        title="Ett nytt ärende",
        summary="Nytt.",
        theme=Theme.objects.first(),
        scope_areas=[demo.orgs.malmo],
        coordinator=demo.carl,
    )


def test_the_case_page_makes_the_same_queries_for_a_new_and_the_largest_demo_case(
    demo, client_for, django_assert_num_queries
) -> None:
    """A small case (one participant, action, outcome and value) and the demo's largest."""
    client = client_for(demo.anna)
    for case in (build_case(demo.anna, 1, prefix="Liten").case, demo.youth):
        with django_assert_num_queries(CASE_PAGE_QUERIES):
            _get(client, reverse("case_detail", args=[case.reference]))


def test_the_timeline_page_makes_the_same_queries_on_every_page_and_filter(
    demo, client_for, django_assert_num_queries
) -> None:
    client = client_for(demo.carl)
    url = reverse("case_timeline", args=[demo.youth.reference])
    html = _get(client, url)
    older = re.search(r'href="\?([^"]*before=[^"]+)" rel="next"', html).group(1)
    for query in ("", "?" + older.replace("&amp;", "&")):
        with django_assert_num_queries(TIMELINE_PAGE_QUERIES):
            _get(client, url + query)
    new = reverse("case_timeline", args=[_new_case(demo).reference])
    with django_assert_num_queries(TIMELINE_PAGE_QUERIES):
        _get(client, new)
    # One kind reads one history table: 14 queries fewer than all seven (with the decisions and
    # the attachments).
    with django_assert_num_queries(TIMELINE_PAGE_QUERIES - 14):
        _get(client, url + "?kind=case")


def test_the_summary_counts_overdue_and_blocked_and_lists_the_next_deadlines(
    demo, client_for
) -> None:
    case = demo.youth
    today = date.today()
    open_actions = Action.objects.filter(case=case, status__in=["planned", "in_progress"])
    overdue = sum(1 for a in Action.objects.filter(case=case) if a.is_overdue)
    blocked = Action.objects.filter(case=case, status="blocked").count()
    html = _get(client_for(demo.carl), reverse("case_detail", args=[case.reference]))
    summary = html.split('class="case-summary"')[1].split("</section>")[0]
    assert f"{overdue} overdue" in summary and f"{blocked} blocked" in summary
    due_next = [a for a in open_actions if a.due_date and a.due_date >= today]
    for action in sorted(due_next, key=lambda a: (a.due_date, a.pk))[:3]:
        assert action.title in summary
    assert re.search(r"\d of \d on track", summary)


def test_finished_actions_are_collapsed_and_a_long_status_links_to_all_of_them(
    demo, client_for
) -> None:
    scenario = build_case(demo.anna, 20, prefix="Lång")
    for action in scenario.actions[:3]:
        services.action_update(actor=demo.anna, action=action, data={"status": "done"})
    html = _get(client_for(scenario.worker), reverse("case_detail", args=[scenario.case.reference]))
    assert re.search(r'<details class="section-more action-group">\s*<summary>Done', html)
    planned = Action.objects.filter(case=scenario.case, status="planned").count()
    assert planned > ACTION_ROWS and f"All {planned} actions: planned" in html
    url = reverse("case_actions", args=[scenario.case.reference]) + "?status=planned"
    listed = _get(client_for(scenario.worker), url)
    assert listed.count('<li>\n  <a href="/actions/') == planned
    bad = client_for(scenario.worker).get(url.replace("planned", "nonsense"))
    assert bad.status_code == 404


def test_an_outcome_shows_its_newest_values_and_all_of_them_a_page_further(
    demo, client_for
) -> None:
    outcome = demo.youth.outcomes.order_by("pk").first()
    values = outcome.measurements.exclude(review_state="withdrawn").order_by("-measured_on")
    assert values.count() > LATEST_VALUES
    html = _get(client_for(demo.carl), reverse("case_detail", args=[demo.youth.reference]))
    assert f"(the newest {LATEST_VALUES} of {values.count()})" in html
    assert f"Show all {values.count()} values" in html
    page = _get(client_for(demo.carl), reverse("outcome_values", args=[outcome.pk]))
    assert page.count('<tr class="review-') == min(values.count(), 25)
    assert values.first().get_review_state_display() in page


def test_the_timeline_is_for_those_who_see_the_case_and_a_garbled_cursor_is_the_first_page(
    demo, client_for
) -> None:
    url = reverse("case_timeline", args=[demo.youth.reference])
    assert client_for(demo.eve).get(url).status_code == 404
    first = _get(client_for(demo.carl), url).split("<main")[1]
    garbled = _get(client_for(demo.carl), url + "?before=garbage&kind=nonsense")
    assert garbled.split("<main")[1] == first


def test_a_long_mandate_is_cut_with_read_more_and_old_overlong_text_still_shows(
    demo, client_for
) -> None:
    participation = Participation.objects.get(case=demo.youth, organisation=demo.orgs.police)
    # Written before the limits existed (the database has no limit): the page must still work.
    Participation.objects.filter(pk=participation.pk).update(mandate="ord" * 3000)
    html = _get(client_for(demo.carl), reverse("case_detail", args=[demo.youth.reference]))
    assert "Read more" in html and "ord" * 3000 in html
    with pytest.raises(ValidationError) as refused:
        participation.refresh_from_db()
        participation.full_clean()
    assert "mandate" in refused.value.message_dict


@pytest.mark.parametrize(
    ("url_name", "field", "limit", "extra"),
    [
        ("case_edit", "problem_description", PROBLEM_MAX_LENGTH, {}),
        ("case_transition", "reason", REASON_MAX_LENGTH, {"to_status": "on_hold"}),
        ("participation_invite", "mandate", LONG_TEXT_MAX_LENGTH, {"role": "partner"}),
    ],
)
def test_a_form_shows_the_limit_and_refuses_a_longer_text_by_the_field(
    demo, client_for, url_name, field, limit, extra
) -> None:
    client = client_for(demo.anna)
    url = reverse(url_name, args=[demo.youth.reference])
    assert f'maxlength="{limit}"' in _get(client, url)
    response = client.post(url, {**extra, field: "x" * (limit + 1)})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html
    assert f"at most {limit} characters" in html


def test_an_action_progress_report_over_the_limit_is_refused_in_the_form(demo, client_for) -> None:
    action = demo.actions.picture
    url = reverse("action_detail", args=[action.pk])
    before = action.updates.count()
    response = client_for(demo.anna).post(url, {"text": "x" * (LONG_TEXT_MAX_LENGTH + 1)})
    assert response.status_code == 200 and 'id="id_text_errors"' in response.content.decode()
    assert action.updates.count() == before


def test_the_api_answers_400_with_the_field_for_each_overlong_text(demo) -> None:
    client = APIClient()
    client.force_authenticate(demo.anna)
    case_url = reverse("api-case-detail", args=[demo.youth.pk])
    too_long = {"problem_description": "x" * (PROBLEM_MAX_LENGTH + 1)}
    response = client.patch(case_url, too_long, format="json")
    assert response.status_code == 400 and "problem_description" in str(response.json())
    action = demo.actions.picture
    response = client.post(
        reverse("api-action-updates", args=[action.pk]),
        {"text": "x" * (LONG_TEXT_MAX_LENGTH + 1)},
        format="json",
    )
    assert response.status_code == 400 and "text" in str(response.json())
    response = client.post(
        reverse("api-case-transition", args=[demo.youth.pk]),
        {"to_status": "on_hold", "reason": "x" * (REASON_MAX_LENGTH + 1)},
        format="json",
    )
    assert response.status_code == 400 and "reason" in str(response.json())
    demo.youth.refresh_from_db()
    assert demo.youth.status == "active" and len(demo.youth.problem_description) < 10_000


def test_the_model_refuses_an_overlong_action_description(demo) -> None:
    with pytest.raises(ValidationError) as refused:
        services.action_create(
            actor=demo.anna,
            case=demo.youth,
            title="För lång",
            description="x" * (LONG_TEXT_MAX_LENGTH + 1),
            lead_organisation=demo.orgs.sodertalje,
            due_date=date.today() + timedelta(days=30),
        )
    assert "description" in refused.value.message_dict
