"""The meeting story, end to end in Chromium: Carl proposes an agenda item for his case; Anna
takes it up, adds a free item, orders the agenda and sends it (a real SMTP server receives one
email per member, each with an invitation that icalendar reads); at the meeting Anna minutes the
item; Bertil, another committee member, adjusts the minutes; Anna records the committee's decision
on the case, which shows on the case page and in its timeline; a later edit of the minutes is
refused and a correction becomes a new, recorded version.

The data is made here: a meeting of its own and two more committee members (Bertil, Cecilia),
so the demo meetings the accessibility tests read are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from types import SimpleNamespace

from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from decisions.models import Decision
from meetings import services
from meetings.models import AgendaItem, Meeting, MinutesVersion
from tests.factories import UserFactory
from tests.helpers import run_scheduled_sends
from tests.notifications.conftest import smtp_server  # noqa: F401  (the real SMTP server)

MEETING = "Kommittésammanträde januari"
PROPOSAL = "Förslag: gemensam lägesbild för Södertälje"
FREE_ITEM = "Mötets öppnande"
MINUTES = "Kommittén ställde sig bakom förslaget om en gemensam lägesbild."
LATE_EDIT = "Kommittén avslog förslaget."
CORRECTION = "Kommittén ställde sig bakom förslaget; uppföljning i mars."
DECISION = "Polisen och kommunen tar fram en gemensam lägesbild för Södertälje före mars."


def _visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def _click(page: Page, name: str) -> None:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name).click()
    assert navigation.value.status == 200, navigation.value.url


def _submit(page: Page) -> None:
    with page.expect_navigation() as navigation:
        page.locator("main form.form [type=submit]").last.click()
    assert navigation.value.status == 200, navigation.value.url


def _world(demo: SimpleNamespace) -> SimpleNamespace:
    committee = Group.objects.get(name=django_settings.COMMITTEE_GROUP)
    members = []
    for username, first, last in [("bertil", "Bertil", "Berg"), ("cecilia", "Cecilia", "Ceder")]:
        user = UserFactory(username=username, first_name=first, last_name=last)
        user.groups.add(committee)
        members.append(user)
    starts = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    meeting = services.meeting_create(
        actor=demo.anna,
        title=MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Rosenbad, sal 3",
    )
    return SimpleNamespace(meeting=meeting, bertil=members[0], cecilia=members[1])


def _carl_proposes_an_item(page: Page, world: SimpleNamespace, demo: SimpleNamespace) -> None:
    _visit(page, f"{reverse('agenda_item_propose')}?case={demo.youth.reference}")
    page.locator("[name=meeting]").select_option(str(world.meeting.pk))
    page.locator("[name=kind]").select_option("proposal")
    page.locator("[name=title]").fill(PROPOSAL)
    _submit(page)
    expect(page.locator(".messages")).to_contain_text("Your proposal was sent to the secretariat.")


def _anna_builds_and_sends_the_agenda(page: Page, world: SimpleNamespace) -> None:
    detail = reverse("meeting_detail", args=[world.meeting.pk])
    _visit(page, detail)
    expect(page.locator("main")).to_contain_text(PROPOSAL)
    _click(page, f"Take “{PROPOSAL}” up on the agenda")
    _visit(page, reverse("agenda_item_add", args=[world.meeting.pk]))
    page.locator("[name=kind]").select_option("other")
    page.locator("[name=title]").fill(FREE_ITEM)
    _submit(page)
    _click(page, f"Move “{FREE_ITEM}” up")
    rows = page.locator("table.agenda tbody tr")
    expect(rows.nth(0)).to_contain_text(FREE_ITEM)
    expect(rows.nth(1)).to_contain_text(PROPOSAL)
    _click(page, "Send the agenda to the members")
    expect(page.locator(".messages")).to_contain_text("The agenda was sent to the members.")


def _each_member_receives_the_agenda_with_an_invitation(
    smtp: SimpleNamespace, world: SimpleNamespace
) -> None:
    run_scheduled_sends()
    agenda_emails = [m for m in smtp.messages if MEETING in _subject(m)]
    recipients = sorted(address for m in agenda_emails for address in m["To"].split(","))
    assert recipients == sorted([world.bertil.email, world.cecilia.email])  # anna sent it
    for message in agenda_emails:
        calendars = [
            part.get_payload(decode=True)
            for part in message.walk()
            if part.get_content_type() == "text/calendar"
        ]
        assert len(calendars) == 1
        (event,) = Calendar.from_ical(calendars[0]).walk("VEVENT")
        assert str(event["SUMMARY"]) == MEETING
        assert event.decoded("DTSTART") == world.meeting.starts_at
        assert PROPOSAL in str(event["DESCRIPTION"])


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _anna_minutes_the_item(page: Page, item: AgendaItem) -> None:
    _visit(page, reverse("item_minutes", args=[item.pk]))
    page.locator("[name=text]").fill(MINUTES)
    _submit(page)
    expect(page.locator(f"#item-{item.pk}")).to_contain_text(MINUTES)


def _bertil_adjusts_the_minutes(page: Page, world: SimpleNamespace, item: AgendaItem) -> None:
    _visit(page, reverse("meeting_detail", args=[world.meeting.pk]))
    _click(page, f"Adjust the minutes of “{PROPOSAL}”")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Adjusted by Bertil Berg")


def _anna_records_the_decision_on_the_case(
    page: Page, world: SimpleNamespace, demo: SimpleNamespace
) -> None:
    """At the meeting (the clock moves to its day), Anna records the committee's decision on
    the case from its page; it shows there and in the case's timeline."""
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    Meeting.objects.filter(pk=world.meeting.pk).update(starts_at=starts)
    case_page = reverse("case_detail", args=[demo.youth.reference])
    _visit(page, case_page)
    with page.expect_navigation():
        page.locator("main a", has_text="Record a decision").first.click()
    page.locator("[name=meeting]").select_option(str(world.meeting.pk))
    page.locator("[name=text]").fill(DECISION)
    _submit(page)
    decision = Decision.objects.get(case=demo.youth, text=DECISION)
    assert decision.meeting_id == world.meeting.pk
    assert decision.reference == f"{timezone.localdate().year}:{decision.number}"
    expect(page.locator(".messages")).to_contain_text(f"Decision {decision.reference}")
    _visit(page, case_page)
    expect(page.locator("#decisions").locator("..")).to_contain_text(decision.reference)
    _visit(page, reverse("case_timeline", args=[demo.youth.reference]))
    expect(page.locator("main")).to_contain_text(f"Decision {decision.reference}")


def _a_later_edit_is_refused_and_a_correction_is_a_new_version(
    page: Page, item: AgendaItem
) -> None:
    _visit(page, reverse("item_minutes", args=[item.pk]))
    expect(page.locator("main")).to_contain_text("These minutes are adjusted and locked.")
    page.locator("[name=text]").fill(LATE_EDIT)
    page.locator("main form.form").evaluate("form => { form.noValidate = true; }")
    _submit(page)
    expect(page.locator("#id_reason_errors")).to_be_visible()
    assert list(item.minutes.values_list("text", flat=True)) == [MINUTES]
    page.locator("[name=text]").fill(CORRECTION)
    page.locator("[name=reason]").fill("Uppföljningen i mars saknades.")
    _submit(page)
    versions = list(item.minutes.order_by("number"))
    assert [(v.number, v.text, v.is_adjusted) for v in versions] == [
        (1, MINUTES, True),
        (2, CORRECTION, False),
    ]
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("1 earlier version")


def test_a_meeting_from_proposal_to_adjusted_minutes(
    open_as: Callable[..., Page],
    site: SimpleNamespace,
    smtp_server,  # noqa: F811
    settings,
) -> None:
    demo = site.demo
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    world = _world(demo)
    _carl_proposes_an_item(open_as(demo.carl, "en"), world, demo)
    anna = open_as(demo.anna, "en")
    _anna_builds_and_sends_the_agenda(anna, world)
    _each_member_receives_the_agenda_with_an_invitation(smtp_server, world)
    item = AgendaItem.objects.get(meeting=world.meeting, title=PROPOSAL)
    _anna_minutes_the_item(anna, item)
    _bertil_adjusts_the_minutes(open_as(world.bertil, "en"), world, item)
    _anna_records_the_decision_on_the_case(anna, world, demo)
    _a_later_edit_is_refused_and_a_correction_is_a_new_version(anna, item)
    assert MinutesVersion.objects.filter(item=item).count() == 2
