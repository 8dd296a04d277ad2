"""Every page makes the same number of queries with 1 and with 50 rows (no N+1).

The count is measured with one row, then pinned with `django_assert_num_queries` for fifty.
The header's unread count and organisations are part of every count.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.choices import MembershipRole
from agencies.services import membership_set
from cases.choices import ParticipationRole
from cases.models import Participation
from cases.services import case_create, participation_accept, participation_invite
from notifications.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory

from .scenario import Scenario, build_case

pytestmark = pytest.mark.django_db

FEW, MANY = 1, 50


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _same_count(
    django_assert_num_queries,
    client_for,
    demo,
    page: Callable[[Scenario], tuple[object, str]],
) -> str:
    few = build_case(demo.anna, FEW, prefix="Few")
    user, url = page(few)
    expected = _count(client_for(user), url)
    many = build_case(demo.anna, MANY, prefix="Many")
    user, url = page(many)
    client = client_for(user)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    print(f"{url}: {expected} queries with {FEW} and with {MANY} rows")
    return response.content.decode()


def test_case_page_queries_do_not_grow_with_participants_actions_outcomes(
    django_assert_num_queries, client_for, demo
):
    def page(s: Scenario) -> tuple[object, str]:
        return s.worker, reverse("case_detail", args=[s.case.reference])

    html = _same_count(django_assert_num_queries, client_for, demo, page)
    assert "Many outcome 49" in html and "Many org 49" in html
    # The actions are cut to the first few of each status, with a way to all of them.
    assert "Many action 1<" in html and "Many action 49<" not in html
    assert "Waiting for Many org 0: Many action 0" in html
    assert "All 17 actions: blocked" in html and "All 33 actions: planned" in html


def test_case_page_for_the_committee_is_constant_too(django_assert_num_queries, client_for, demo):
    def page(s: Scenario) -> tuple[object, str]:
        return demo.anna, reverse("case_detail", args=[s.case.reference])

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_dashboard_queries_do_not_grow_with_cases_actions_activity(
    django_assert_num_queries, client_for, demo
):
    def page(s: Scenario) -> tuple[object, str]:
        return s.worker, reverse("dashboard")

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_my_actions_queries_do_not_grow_with_actions(django_assert_num_queries, client_for, demo):
    def page(s: Scenario) -> tuple[object, str]:
        return s.worker, reverse("my_actions")

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_action_page_queries_do_not_grow_with_updates_and_dependencies(
    django_assert_num_queries, client_for, demo
):
    def page(s: Scenario) -> tuple[object, str]:
        return s.worker, reverse("action_detail", args=[s.actions[-1].pk])

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_inbox_queries_do_not_grow_with_notifications(django_assert_num_queries, client_for, demo):
    def page(s: Scenario) -> tuple[object, str]:
        assert Notification.objects.filter(recipient=s.worker).count() == len(s.actions)
        return s.worker, reverse("inbox")

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_organisation_page_queries_do_not_grow_with_cases_and_members(
    django_assert_num_queries, client_for, demo
):
    organisation = OrganisationFactory(name="Growing org")
    membership_set(user=demo.sara, organisation=organisation, role=MembershipRole.ADMIN)
    url = reverse("organisation_detail", args=[organisation.pk])

    def add(count: int) -> None:
        for i in range(count):
            MembershipFactory(organisation=organisation)
            case = case_create(
                actor=demo.anna,
                title=f"Org case {i}",
                summary="s",
                theme=demo.youth.theme,
                is_national=True,
            )
            invitation = participation_invite(
                actor=demo.anna, case=case, organisation=organisation, role="partner"
            )
            participation_accept(actor=demo.sara, participation=invitation)

    add(FEW)
    expected = _count(client_for(demo.sara), url)
    add(MANY - FEW)
    client = client_for(demo.sara)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.content.decode().count("Org case") == MANY


def test_case_list_queries_do_not_grow_with_cases(django_assert_num_queries, client_for, demo):
    def page(s: Scenario) -> tuple[object, str]:
        return s.worker, reverse("case_list") + f"?q={s.case.title}"

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_case_list_with_fifty_visible_cases_is_constant(
    django_assert_num_queries, client_for, demo
):
    url = reverse("case_list") + "?q=Listed"
    theme = demo.youth.theme

    def add_cases(count: int) -> None:
        for i in range(count):
            case_create(
                actor=demo.anna, title=f"Listed {i}", summary="s", theme=theme, is_national=True
            )

    add_cases(FEW)
    expected = _count(client_for(demo.anna), url)
    add_cases(MANY - FEW)
    client = client_for(demo.anna)
    with django_assert_num_queries(expected):
        client.get(url)


def test_directory_queries_do_not_grow_with_organisations(
    django_assert_num_queries, client_for, demo
):
    url = reverse("organisation_directory") + "?q=Katalog"
    OrganisationFactory(name="Katalog 0")
    expected = _count(client_for(demo.eve), url)
    for i in range(1, MANY):
        OrganisationFactory(name=f"Katalog {i}")
    client = client_for(demo.eve)
    with django_assert_num_queries(expected):
        client.get(url)


def test_form_pages_queries_do_not_grow_with_choices(django_assert_num_queries, client_for, demo):
    def page(s: Scenario) -> tuple[object, str]:
        return s.worker, reverse("action_edit", args=[s.actions[-1].pk])

    _same_count(django_assert_num_queries, client_for, demo, page)


def test_invitation_answer_page_is_constant(django_assert_num_queries, client_for, demo):
    def page(s: Scenario) -> tuple[object, str]:
        org = OrganisationFactory()
        membership_set(user=s.worker, organisation=org, role="admin")
        invitation = participation_invite(
            actor=demo.anna, case=s.case, organisation=org, role=ParticipationRole.OBSERVER
        )
        return s.worker, reverse("invitation_answer", args=[invitation.pk])

    _same_count(django_assert_num_queries, client_for, demo, page)


FORM_PAGES = ["measurement_report", "participation_invite", "case_edit", "case_transition"]
FORM_PAGES += ["action_create", "outcome_create"]


def test_form_pages_of_a_case_are_constant(django_assert_num_queries, client_for, demo):
    """Choices grow with participants, actions and organisations; the queries do not."""

    def urls(s: Scenario) -> list[str]:
        return [
            reverse(
                name, args=[s.outcomes[-1].pk if name == "measurement_report" else s.case.reference]
            )
            for name in FORM_PAGES
        ]

    few = build_case(demo.anna, FEW, prefix="Few")
    expected = [_count(client_for(demo.anna), url) for url in urls(few)]
    many = build_case(demo.anna, MANY, prefix="Many")
    client = client_for(demo.anna)
    for url, count in zip(urls(many), expected, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_public_case_page_for_an_anonymous_visitor_is_constant(
    django_assert_num_queries, client_for, demo
):
    from django.test import Client

    from cases.services import case_update

    def page(s: Scenario) -> tuple[object, str]:
        case_update(actor=demo.anna, case=s.case, data={"visibility": "public"}, reason="Öppet")
        return None, reverse("case_detail", args=[s.case.reference])

    def anonymous(user: object, language: str = "en") -> Client:
        return Client() if user is None else client_for(user, language)

    html = _same_count(django_assert_num_queries, anonymous, demo, page)
    assert "Many action 1<" in html and "All 17 actions: blocked" in html


@pytest.mark.parametrize("name", ["participation_edit", "participation_withdraw"])
def test_participation_pages_are_constant_with_members_to_choose_from(
    django_assert_num_queries, client_for, demo, name
):
    """The contact person is chosen among the organisation's members: 1 or 50 of them, in a
    person picker that lists only the chosen one (the rest are searched on the server)."""

    def page(s: Scenario) -> tuple[object, str]:
        for _ in s.organisations:
            MembershipFactory(organisation=s.lead)
        participation = Participation.objects.get(case=s.case, organisation=s.lead)
        return s.worker, reverse(name, args=[participation.pk])

    html = _same_count(django_assert_num_queries, client_for, demo, page)
    if name == "participation_edit":
        assert 'name="contact_person"' in html and html.count("<option") < MANY
