"""What needs me: the dashboard leads with what is late, blocked or soon due across
every case the user manages and their organisations' actions, and what waits for their answer;
"My actions" does the same for their organisations. Items changed since the last visit are marked.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.choices import MembershipRole, OrganisationKind
from agencies.models import Organisation
from agencies.services import membership_set
from cases import attention, services
from cases.choices import ActionStatus, ParticipationRole
from cases.models import Action, DashboardVisit, Outcome
from cases.services.visits import dashboard_visit_record

pytestmark = pytest.mark.django_db

OVERDUE = {
    "Fältarbete kvällstid i Hovsjö och Ronna",
    "Kartläggning av elever med långvarig frånvaro",
}
BLOCKED = {"Förebyggande samtal i skolorna", "Gemensam rutin för elevhälsa och BUP"}
DUE_SOON = {"Samtalsstöd för elever med hög frånvaro"}


def _groups(user, **kwargs) -> dict[str, attention.Group]:
    groups = attention.what_needs_me(user, since=None, **kwargs)
    return {group.key: group for group in groups}


def _titles(group: attention.Group) -> set[str]:
    return {row.title for row in group.rows}


def _region(html: str, key: str) -> str:
    """The text of one group of the dashboard's list, tags stripped."""
    start = html.index(f'id="needs-{key}-heading"')
    end = html.find("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


# Whose items: the coordinator across all his cases, a partner only her organisation's.


def test_coordinator_sees_late_and_blocked_actions_of_all_his_cases(demo) -> None:
    groups = _groups(demo.carl)
    assert _titles(groups["overdue"]) == OVERDUE
    assert _titles(groups["blocked"]) == BLOCKED
    assert _titles(groups["due-soon"]) == DUE_SOON
    cases = {row.case for key in ("overdue", "blocked") for row in groups[key].rows}
    assert cases == {demo.youth, demo.school}


def test_groups_do_not_overlap_and_finished_actions_are_not_in_them(demo) -> None:
    services.action_update(
        actor=demo.carl,
        action=demo.actions.talks,
        data={"due_date": timezone.localdate() - timedelta(days=1)},
    )
    groups = _groups(demo.carl)
    assert demo.actions.talks.title in _titles(groups["overdue"])
    assert demo.actions.talks.title not in _titles(groups["blocked"])
    services.action_update(
        actor=demo.carl, action=demo.actions.fieldwork, data={"status": ActionStatus.DONE}
    )
    assert demo.actions.fieldwork.title not in _titles(_groups(demo.carl)["overdue"])


def test_the_coordinator_sees_the_values_waiting_for_his_review(demo) -> None:
    reviews = _groups(demo.carl)["reviews"]
    cases = {row.outcome.case for row in reviews.rows}
    assert cases == {demo.youth, demo.school}
    assert reviews.total == 4


def test_outsider_sees_none_of_the_coordinators_items(demo, client_for) -> None:
    groups = _groups(demo.eve)
    assert all(group.total == 0 for group in groups.values())
    html = client_for(demo.eve).get(reverse("dashboard")).content.decode()
    for title in OVERDUE | BLOCKED | DUE_SOON:
        assert title not in html
    assert "Nothing is late, blocked or waiting for you." in html


def test_partner_sees_only_her_organisations_actions(demo) -> None:
    police = demo.orgs.police.pk
    groups = _groups(demo.petra)
    rows = [row for key in attention.ACTION_GROUPS for row in groups[key].rows]
    assert {row.title for row in rows} == {demo.actions.talks.title}  # police contributes
    for row in rows:
        assert police in {row.lead_organisation_id, *(o.pk for o in row.contributors.all())}
    assert groups["reviews"].total == 0 and groups["invitations"].total == 0


def test_partners_actions_in_a_case_she_left_are_not_hers_any_more(demo) -> None:
    services.action_update(
        actor=demo.carl,
        action=demo.actions.picture,
        data={"lead_organisation": demo.orgs.sodertalje, "assignee": demo.sara},
    )
    participation = demo.youth.participations.get(organisation=demo.orgs.police)
    services.participation_withdraw(actor=demo.carl, participation=participation, reason="Klart.")
    groups = _groups(demo.petra)
    assert all(group.total == 0 for group in groups.values())


def test_the_invited_organisations_admin_is_asked_to_answer(demo, client_for) -> None:
    invitations = _groups(demo.sara)["invitations"]
    assert [row.case for row in invitations.rows] == [demo.school]
    html = client_for(demo.sara).get(reverse("dashboard")).content.decode()
    text = _region(html, "invitations")
    assert "Invitations to answer (1)" in text
    assert "Södertälje kommun is invited to “Långvarig skolfrånvaro i Södertälje”" in text
    participation = invitations.rows[0]
    assert reverse("invitation_answer", args=[participation.pk]) in html
    assert _groups(demo.carl)["invitations"].total == 0


def test_closed_cases_need_nobody(demo) -> None:
    services.case_transition(
        actor=demo.carl, case=demo.school, to_status="evaluating", reason="Utvärdering."
    )
    services.case_transition(actor=demo.anna, case=demo.school, to_status="closed", reason="Klar.")
    groups = _groups(demo.carl)
    actions = [row for key in attention.ACTION_GROUPS for row in groups[key].rows]
    assert actions and all(row.case != demo.school for row in actions)
    assert all(row.outcome.case != demo.school for row in groups["reviews"].rows)
    assert all(row.case != demo.school for row in _groups(demo.sara)["invitations"].rows)


# The dashboard page: each item with its case, organisation and age; one click reaches it.


def test_dashboard_leads_with_what_needs_me_and_says_how_late(demo, client_for) -> None:
    html = client_for(demo.carl).get(reverse("dashboard")).content.decode()
    assert html.index('id="needs-heading"') < html.index('id="my-cases-heading"')
    overdue = _region(html, "overdue")
    assert "Overdue (2)" in overdue
    assert f"{demo.youth.reference} Unga i kriminalitet i Södertälje" in overdue
    assert "Södertälje kommun · overdue 10 days" in overdue
    assert "Region Stockholm · overdue 5 days" in overdue
    assert "blocked since today" in _region(html, "blocked")
    assert "due in 4 days" in _region(html, "due-soon")
    assert "Values waiting for your review (4)" in _region(html, "reviews")
    assert reverse("action_detail", args=[demo.actions.fieldwork.pk]) in html


def test_blocked_for_counts_from_when_the_action_became_blocked(demo) -> None:
    picture = demo.actions.picture
    services.action_update(actor=demo.carl, action=picture, data={"status": "blocked"})
    # The history dated back, as if the action was planned ten days ago and blocked three.
    history = Action.history.filter(id=picture.pk).order_by("-history_date")
    latest = history.first()
    now = timezone.now()
    history.exclude(pk=latest.pk).update(history_date=now - timedelta(days=10))
    history.filter(pk=latest.pk).update(history_date=now - timedelta(days=3))
    rows = {row.title: row for row in _groups(demo.carl)["blocked"].rows}
    assert rows[picture.title].age == "blocked for 3 days"
    assert next(iter(rows)) == picture.title  # the longest blocked first


def test_swedish_dashboard_speaks_swedish(demo, client_for) -> None:
    html = client_for(demo.carl, "sv").get(reverse("dashboard")).content.decode()
    overdue = _region(html, "overdue")
    assert "Försenade (2)" in overdue
    assert "Blockerade (2)" in _region(html, "blocked")
    assert "försenad 10 dagar" in overdue
    assert "förfaller om 4 dagar" in _region(html, "due-soon")


def test_at_most_ten_rows_a_group_with_a_link_to_all(demo, client_for) -> None:
    _many_overdue_actions(demo, 12)
    client = client_for(demo.carl)
    html = client.get(reverse("dashboard")).content.decode()
    overdue = _region(html, "overdue")
    assert "Overdue (14)" in overdue
    assert overdue.count(" · overdue ") == 10
    assert "Show all 14 (overdue)" in overdue
    page = client.get(reverse("attention_list", args=["overdue"])).content.decode()
    assert page.count("Late work") == 12
    assert client.get(reverse("attention_list", args=["nonsense"])).status_code == 404


def test_a_group_is_counted_up_to_a_cap_and_then_says_more_than(
    demo, client_for, monkeypatch
) -> None:
    """Counting a group of tens of thousands of actions would read them all; past the cap the
    dashboard says "more than" and still links to the whole group."""
    monkeypatch.setattr(attention, "COUNT_CAP", 5)
    _many_overdue_actions(demo, 12)
    client = client_for(demo.carl)
    html = client.get(reverse("dashboard")).content.decode()
    overdue = _region(html, "overdue")
    assert "Overdue (more than 5)" in overdue
    assert overdue.count(" · overdue ") == 5 + 5  # ten rows shown, whatever the cap
    assert "Show all (overdue)" in overdue
    blocked = _region(html, "blocked")
    assert "Blocked (2)" in blocked  # under the cap: the exact number
    assert "What needs me (more than " in re.sub(r"<[^>]+>", "", html)
    assert _groups(demo.carl, exact=True)["overdue"].total == 14
    page = client.get(reverse("attention_list", args=["overdue"])).content.decode()
    assert page.count("Late work") == 12


def test_my_actions_of_a_user_without_an_organisation_is_an_empty_page(demo, client_for):
    """anna (the committee, no organisation) has no actions of her own: counted as nothing."""
    response = client_for(demo.anna).get(reverse("my_actions"))
    assert response.status_code == 200
    assert all(group.total == 0 for group in _groups(demo.anna, mine_only=True).values())


def test_show_all_pages_through_a_long_group(demo, client_for) -> None:
    _many_overdue_actions(demo, 30)
    client = client_for(demo.carl)
    first = client.get(reverse("attention_list", args=["overdue"])).content.decode()
    second = client.get(reverse("attention_list", args=["overdue"]) + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count("age-overdue") == 25 and second.count("age-overdue") == 7


def _many_overdue_actions(demo, count: int) -> None:
    today = timezone.localdate()
    for i in range(count):
        services.action_create(
            actor=demo.carl,
            case=demo.school,
            title=f"Late work {i}",
            lead_organisation=demo.orgs.region_stockholm,
            due_date=today - timedelta(days=1 + i % 3),
            status=ActionStatus.IN_PROGRESS,
        )


# The committee: every case, filterable by theme and region.


def test_committee_sees_every_case_and_filters_by_theme(demo, client_for) -> None:
    everything = _groups(demo.anna)
    assert everything["reviews"].total == 6  # Skåne's values too
    care = _groups(demo.anna, filters={"theme": "care-queues"})
    assert {row.outcome.case for row in care["reviews"].rows} == {demo.care}
    assert care["overdue"].total == 0
    html = client_for(demo.anna).get("/?theme=youth-crime").content.decode()
    overdue = _region(html, "overdue")
    assert "Fältarbete kvällstid" in overdue and "Kartläggning" not in overdue


def test_committee_filters_by_region(demo, client_for) -> None:
    skane = _groups(demo.anna, filters={"region_code": "12"})
    assert {row.outcome.case for row in skane["reviews"].rows} == {demo.care}
    stockholm = _groups(demo.anna, filters={"region_code": "01"})
    assert _titles(stockholm["overdue"]) == OVERDUE
    client = client_for(demo.anna)
    html = client.get("/?region=12").content.decode()
    assert "Fältarbete kvällstid" not in html
    assert "Kortare väntan till första besök" in _region(html, "reviews")
    assert client.get("/?region=nowhere&theme=%00").status_code == 200


def test_others_get_no_filter_and_cannot_widen_their_list(demo, client_for) -> None:
    html = client_for(demo.carl).get("/?theme=care-queues").content.decode()
    assert 'name="theme"' not in html
    assert "Fältarbete kvällstid" in _region(html, "overdue")


# "New" and "changed" since the last visit.


def test_items_new_or_changed_since_the_last_visit_are_marked(demo, client_for) -> None:
    mark = timezone.now()
    DashboardVisit.objects.create(user=demo.carl, seen_at=mark, previous_seen_at=mark)
    services.action_update(
        actor=demo.carl, action=demo.actions.talks, data={"description": "Nytt läge."}
    )
    services.action_create(
        actor=demo.carl,
        case=demo.school,
        title="Ny försenad insats",
        lead_organisation=demo.orgs.region_stockholm,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    client = client_for(demo.carl)
    for _reload in range(2):  # a reload in the same sitting keeps the marks
        html = client.get(reverse("dashboard")).content.decode()
        overdue, blocked = _region(html, "overdue"), _region(html, "blocked")
        assert re.search(r"Ny försenad insats New since your last visit", overdue)
        assert re.search(r"Förebyggande samtal i skolorna Changed since your last visit", blocked)
        assert "Gemensam rutin för elevhälsa och BUP SAM" in blocked  # unchanged: no mark
        assert overdue.count("since your last visit") == 1


def test_a_first_visit_marks_nothing(demo, client_for) -> None:
    html = client_for(demo.carl).get(reverse("dashboard")).content.decode()
    assert "since your last visit" not in html
    assert DashboardVisit.objects.filter(user=demo.carl).exists()


def test_a_visit_after_a_pause_becomes_the_previous_visit(demo) -> None:
    start = timezone.now()
    assert dashboard_visit_record(user=demo.carl, now=start) is None
    assert dashboard_visit_record(user=demo.carl, now=start + timedelta(minutes=5)) is None
    later = start + timedelta(hours=3)
    assert dashboard_visit_record(user=demo.carl, now=later) == start + timedelta(minutes=5)
    # Reloading during this sitting still measures against the sitting before.
    same = dashboard_visit_record(user=demo.carl, now=later + timedelta(minutes=10))
    assert same == start + timedelta(minutes=5)


def test_my_actions_marks_against_the_dashboard_visit(demo, client_for) -> None:
    mark = timezone.now()
    DashboardVisit.objects.create(user=demo.petra, seen_at=mark, previous_seen_at=mark)
    services.action_update(
        actor=demo.carl, action=demo.actions.picture, data={"description": "Ny version."}
    )
    html = client_for(demo.petra).get(reverse("my_actions")).content.decode()
    assert re.search(r"Gemensam lägesbild[^<]*</a>\s*<span class=\"mark mark-changed\">", html)


# My actions: my organisations' actions, grouped and paged.


def test_my_actions_groups_my_organisations_actions(demo, client_for) -> None:
    groups = _groups(demo.sara, mine_only=True)
    assert set(groups) == set(attention.MY_ACTION_GROUPS)
    assert _titles(groups["overdue"]) == {demo.actions.fieldwork.title}
    assert _titles(groups["blocked"]) == {demo.actions.talks.title}
    assert "invitations" not in groups
    html = client_for(demo.sara).get(reverse("my_actions")).content.decode()
    assert "Overdue (1)" in _region(html, "overdue")
    assert "Kartläggning" not in html  # Region Stockholm's, in a case Sara is only invited to


def test_coordinator_without_an_organisation_in_the_case_has_no_my_actions(demo) -> None:
    groups = _groups(demo.carl, mine_only=True)
    assert all(group.total == 0 for group in groups.values())


def test_my_actions_pages_through_one_group(demo, client_for) -> None:
    today = timezone.localdate()
    for i in range(27):
        services.action_create(
            actor=demo.carl,
            case=demo.youth,
            title=f"Later work {i}",
            lead_organisation=demo.orgs.police,
            due_date=today + timedelta(days=100 + i),
        )
    client = client_for(demo.petra)
    html = client.get(reverse("my_actions")).content.decode()
    later = _region(html, "later")
    assert "Later or without a due date (28)" in later
    assert f'href="{reverse("my_actions")}?group=later"' in html
    page = client.get(reverse("my_actions") + "?group=later&page=2").content.decode()
    assert "Page 2 of 2" in page and page.count("Later work") == 3
    assert client.get(reverse("my_actions") + "?group=bogus").status_code == 200


# Bounded: the same number of queries for one item and for thirty.


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_items(demo, count: int, offset: int) -> None:
    """`count` more of every kind: overdue, blocked, due soon, values to review, invitations."""
    today = timezone.localdate()
    outcome = Outcome.objects.filter(case=demo.school, title="Absence").first()
    if outcome is None:
        outcome = services.outcome_create(
            actor=demo.carl,
            case=demo.school,
            title="Absence",
            indicator="Pupils absent",
            unit="pupils",
            direction="decrease",
            baseline_value=Decimal(100),
            baseline_date=today - timedelta(days=1000),
            target_value=Decimal(50),
            target_date=today + timedelta(days=300),
        )
    for i in range(offset, offset + count):
        for status, due in (("in_progress", -3), ("blocked", 20), ("planned", 5)):
            services.action_create(
                actor=demo.carl,
                case=demo.school,
                title=f"Item {i} {status}",
                lead_organisation=demo.orgs.region_stockholm,
                due_date=today + timedelta(days=due),
                status=status,
            )
        services.measurement_report(
            actor=demo.rita,
            outcome=outcome,
            organisation=demo.orgs.region_stockholm,
            value=Decimal(5),
            measured_on=today - timedelta(days=i),
        )
        organisation = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(
            participations__case=demo.school
        )[0]
        membership_set(user=demo.sara, organisation=organisation, role=MembershipRole.ADMIN)
        services.participation_invite(
            actor=demo.carl,
            case=demo.school,
            organisation=organisation,
            role=ParticipationRole.PARTNER,
        )


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("carl", "/"),
        ("sara", "/"),
        ("anna", "/?theme=school-completion&region=01"),
        ("sara", "/my-actions/"),
        ("carl", "/needs-me/blocked/"),
        ("sara", "/needs-me/invitations/"),
        ("anna", "/needs-me/reviews/"),
    ],
)
def test_what_needs_me_queries_are_the_same_for_one_and_thirty_items(
    demo, client_for, django_assert_num_queries, persona, url
) -> None:
    user = getattr(demo, persona)
    _add_items(demo, 1, offset=100)
    client = client_for(user)
    client.get(url)  # the first visit is recorded; measure the usual one
    expected = _queries(client, url)
    _add_items(demo, 29, offset=200)
    client = client_for(user)
    with django_assert_num_queries(expected):
        client.get(url)
    print(f"{persona} {url}: {expected} queries with 1 and with 30 items of each kind")
