"""The personal calendar feed: a secret, revocable address that honours the pages' rules."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases.choices import ActionStatus
from cases.models import Action
from meetings import services
from meetings.demo import COMING_MEETING_TITLE


def _feed(user) -> Calendar:  # type: ignore[no-untyped-def]
    feed = services.calendar_feed_create(actor=user)
    response = Client().get(reverse("calendar_feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _summaries(calendar: Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_an_actions_due_date_appears_in_the_feed_of_its_organisations_members(demo) -> None:
    action = demo.actions.fieldwork
    action.due_date = timezone.localdate() + timedelta(days=12)
    action.save(update_fields=["due_date"])
    lead_member = demo.sara if action.lead_organisation == demo.orgs.sodertalje else demo.petra
    events = {str(e["UID"]): e for e in _feed(lead_member).walk("VEVENT")}
    event = events[f"action-{action.pk}@samverkan"]
    assert action.title in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == action.due_date


def test_a_committee_member_sees_the_meetings_she_is_expected_at(demo) -> None:
    assert COMING_MEETING_TITLE in _summaries(_feed(demo.anna))


def test_a_partner_is_not_sent_the_committees_meetings(demo) -> None:
    assert COMING_MEETING_TITLE not in _summaries(_feed(demo.petra))


def test_a_restricted_cases_actions_never_appear_in_an_outsiders_feed(demo) -> None:
    # Kiruna (eve) named on an action of the restricted youth case it does not take part in:
    # as after a withdrawal, the action still names it, but eve may not see the case.
    action = Action.objects.create(
        case=demo.youth,
        title="Hemligt uppdrag",
        lead_organisation=demo.orgs.sodertalje,
        due_date=timezone.localdate() + timedelta(days=5),
        status=ActionStatus.PLANNED,
        created_by=demo.anna,
    )
    action.contributors.add(demo.orgs.kiruna)
    assert not any("Hemligt uppdrag" in s for s in _summaries(_feed(demo.eve)))
    assert any("Hemligt uppdrag" in s for s in _summaries(_feed(demo.sara)))


def test_a_revoked_address_answers_404(demo) -> None:
    feed = services.calendar_feed_create(actor=demo.sara)
    url = reverse("calendar_feed", kwargs={"token": feed.token})
    services.calendar_feed_revoke(actor=demo.sara)
    assert Client().get(url).status_code == 404


def test_a_new_address_replaces_the_old_one(demo) -> None:
    old = services.calendar_feed_create(actor=demo.sara)
    new = services.calendar_feed_create(actor=demo.sara)
    assert Client().get(reverse("calendar_feed", kwargs={"token": old.token})).status_code == 404
    assert Client().get(reverse("calendar_feed", kwargs={"token": new.token})).status_code == 200


def test_the_feed_costs_the_same_queries_however_many_actions(
    demo, django_assert_num_queries
) -> None:
    feed = services.calendar_feed_create(actor=demo.sara)
    url = reverse("calendar_feed", kwargs={"token": feed.token})
    client = Client()
    client.get(url)
    with django_assert_num_queries(5) as small:
        client.get(url)
    for number in range(20):
        Action.objects.create(
            case=demo.youth,
            title=f"Extra {number}",
            lead_organisation=demo.orgs.sodertalje,
            due_date=timezone.localdate() + timedelta(days=number),
            created_by=demo.anna,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
