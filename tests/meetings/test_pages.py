"""The meetings' pages: who finds them, forms with errors by the field, bounded lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.choices import ItemState
from meetings.demo import COMING_MEETING_TITLE, PAST_MEETING_TITLES
from meetings.models import AgendaItem, Meeting, MinutesVersion


def _client(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_committee_and_the_secretariat_find_meetings_in_the_header(demo) -> None:
    for user in (demo.anna, demo.carl):
        page = _client(user).get(reverse("dashboard")).content.decode()
        assert f'href="{reverse("meeting_list")}"' in page
    page = _client(demo.petra).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("meeting_list")}"' not in page


@pytest.mark.parametrize("persona", ["petra", "sara", "olle", "eve"])
def test_meetings_do_not_exist_for_others(demo, meeting, persona) -> None:
    client = _client(getattr(demo, persona))
    assert client.get(reverse("meeting_list")).status_code == 404
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404


def test_the_meeting_page_shows_the_agenda_in_order_with_minutes(agenda, meeting, demo) -> None:
    services.minutes_write(actor=demo.anna, item=agenda.report, text="Rapporten noterades.")
    page = _client(demo.anna).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert page.index("Lägesrapport Södertälje") < page.index("Övriga frågor")
    assert "Rapporten noterades." in page
    assert "Not adjusted" in page


def test_a_coordinator_proposes_an_item_from_the_form(demo, meeting) -> None:
    client = _client(demo.carl)
    url = reverse("agenda_item_propose")
    form = client.get(url, {"case": demo.youth.reference})
    assert form.status_code == 200 and demo.youth.reference in form.content.decode()
    response = client.post(
        url,
        {
            "meeting": meeting.pk,
            "case": demo.youth.reference,
            "kind": "proposal",
            "title": "Förslag om gemensam lägesbild",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Förslag om gemensam lägesbild")
    assert item.state == ItemState.PROPOSED and item.proposed_by == demo.carl


def test_a_partner_is_told_by_the_field_that_only_managers_propose(demo, meeting) -> None:
    response = _client(demo.petra).post(
        reverse("agenda_item_propose"),
        {"meeting": meeting.pk, "case": demo.youth.reference, "kind": "proposal", "title": "X"},
    )
    assert response.status_code == 200
    assert "Only the case&#x27;s coordinator" in response.content.decode()
    assert not AgendaItem.objects.filter(title="X").exists()


def test_an_unknown_case_reference_is_an_error_by_the_field(demo, meeting) -> None:
    response = _client(demo.eve).post(
        reverse("agenda_item_propose"),
        {"meeting": meeting.pk, "case": demo.youth.reference, "kind": "proposal", "title": "X"},
    )
    assert "No case with this reference." in response.content.decode()


def test_a_later_edit_of_adjusted_minutes_is_refused_by_the_form(agenda, demo, bertil) -> None:
    version = services.minutes_write(actor=demo.anna, item=agenda.report, text="Justerad text")
    services.minutes_adjust(actor=bertil, version=version)
    client = _client(demo.anna)
    url = reverse("item_minutes", args=[agenda.report.pk])
    response = client.post(url, {"text": "Ändrad i efterhand"})
    assert response.status_code == 200  # the correction form asks for a reason
    assert MinutesVersion.objects.get(pk=version.pk).text == "Justerad text"
    client.post(url, {"text": "Rättad text", "reason": "Fel namn i protokollet"})
    assert list(agenda.report.minutes.order_by("number").values_list("text", flat=True)) == [
        "Justerad text",
        "Rättad text",
    ]


def test_the_calendar_page_makes_and_stops_an_address(demo) -> None:
    client = _client(demo.sara)
    client.post(reverse("calendar_settings"), {"action": "create"})
    page = client.get(reverse("calendar_settings")).content.decode()
    assert "/calendar/" in page and ".ics" in page
    client.post(reverse("calendar_settings"), {"action": "revoke"})
    assert (
        "You have no calendar address." in client.get(reverse("calendar_settings")).content.decode()
    )


def test_the_meeting_list_costs_the_same_queries_however_many_meetings(
    demo, django_assert_num_queries
) -> None:
    client = _client(demo.anna)
    url = reverse("meeting_list")
    client.get(url)
    with django_assert_num_queries(7) as small:
        client.get(url)
    for number in range(30):
        services.meeting_create(
            actor=demo.anna,
            title=f"Sammanträde {number}",
            starts_at=timezone.now() + timedelta(days=number + 1),
            place="Rosenbad",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_meeting_page_costs_the_same_queries_however_long_the_agenda(
    agenda, meeting, demo, django_assert_num_queries
) -> None:
    client = _client(demo.anna)
    url = reverse("meeting_detail", args=[meeting.pk])
    client.get(url)
    with django_assert_num_queries(12) as small:  # 12th: the files section
        client.get(url)
    for number in range(10):
        item = services.agenda_item_add(
            actor=demo.anna,
            meeting=meeting,
            case=demo.care,
            kind="status_report",
            title=f"Punkt {number}",
        )
        services.minutes_write(actor=demo.anna, item=item, text="Noterat.")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_a_past_meeting_shows_when_its_agenda_went_out_and_offers_no_send(demo) -> None:
    send = "Send the agenda to the members"
    past = Meeting.objects.get(title=PAST_MEETING_TITLES[1])
    page = _client(demo.anna).get(reverse("meeting_detail", args=[past.pk])).content.decode()
    assert "Not sent" not in page and "Sent " in page
    assert send not in page and "Send the updated agenda" not in page
    coming = Meeting.objects.get(title=COMING_MEETING_TITLE)
    page = _client(demo.anna).get(reverse("meeting_detail", args=[coming.pk])).content.decode()
    assert "Not sent" in page
