"""Trust self-assessment rounds: the daily job opens, reminds once and closes; the trend shows
averages over organisations, never one organisation's or person's answer."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from cases.choices import ParticipationRole
from notifications.choices import EventKind
from notifications.models import Event, Notification
from notifications.tasks import emails_due_send
from trust import services
from trust.choices import Principle
from trust.models import TrustAnswer, TrustResponse, TrustResult, TrustRound
from trust.services import add_months

pytestmark = pytest.mark.django_db

ANSWERS = {
    "sara": [5, 4, 4, 3, 4, 5, 4, 3],
    "petra": [3, 3, 4, 2, 3, 4, 3, 2],
    "rita": [4, 4, 2, 3, 5, 3, 4, 4],
}
ORGANISATION = {"sara": "sodertalje", "petra": "police", "rita": "region_stockholm"}


def _scores(values: list[int]) -> dict[str, int]:
    return dict(zip(Principle.values, values, strict=True))


def _answer(demo, username: str, trust_round: TrustRound, now, values=None, **extra):
    return services.trust_answers_submit(
        actor=getattr(demo, username),
        trust_round=trust_round,
        organisation_id=getattr(
            demo.orgs, extra.pop("organisation", None) or ORGANISATION[username]
        ).pk,
        scores=_scores(values or ANSWERS[username]),
        comments=extra.pop("comments", {}),
        now=now,
    )


def _malmo_joins_youth(demo) -> None:
    participation = case_services.participation_invite(
        actor=demo.anna,
        case=demo.youth,
        organisation=demo.orgs.malmo,
        role=ParticipationRole.PARTNER,
        contact_person=demo.malik,
    )
    case_services.participation_accept(
        actor=demo.malik, participation=participation, contact_person=demo.malik
    )


def _demo_round_closed(demo) -> TrustRound:
    """The demo's open round runs out; the next is due a quarter after it opened."""
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    result = services.trust_rounds_run(now=open_round.deadline)
    assert result.closed == 1 and result.opened == 0
    return open_round


def _chart_values(html: str) -> dict[tuple[str, int], Decimal]:
    values = {}
    for group in re.finditer(r'data-principle="(\w+)">(.*?)</g>', html, re.S):
        for point in re.finditer(r'data-round="(\d+)" data-value="([\d.]+)"', group.group(2)):
            values[(group.group(1), int(point.group(1)))] = Decimal(point.group(2))
    return values


def _table_row(html: str, number: int) -> list[str]:
    row = re.search(rf'<tr data-round="{number}">(.*?)</tr>', html, re.S).group(1)
    return [cell.strip() for cell in re.findall(r'<td class="numeric">(.*?)</td>', row, re.S)]


def test_a_round_on_the_demo_case_runs_from_opening_to_the_trend(
    demo, client_for, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    """Four organisations are asked; three answer, Malmö does not and is reminded exactly once;
    the round closes at its deadline and the chart shows the averages of the three answers."""
    _malmo_joins_youth(demo)
    previous = _demo_round_closed(demo)
    opening = add_months(previous.opened_at, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.trust_rounds_run(now=opening - timedelta(hours=1))
        assert not TrustRound.objects.filter(case=demo.youth, closed_at=None).exists()
        services.trust_rounds_run(now=opening)
    emails_due_send()
    trust_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    assert trust_round.number == 4
    asked = set(trust_round.responses.values_list("organisation_id", flat=True))
    assert asked == {
        demo.orgs.sodertalje.pk,
        demo.orgs.police.pk,
        demo.orgs.region_stockholm.pk,
        demo.orgs.malmo.pk,
    }  # Fryshuset only observes
    # Emails go in each recipient's language: Swedish unless they chose English.
    opened_mail = [m for m in mailoutbox if "omgång 4 har öppnats" in m.subject]
    assert demo.malik.email in {address for mail in opened_mail for address in mail.to}

    for username in ANSWERS:
        _answer(demo, username, trust_round, opening + timedelta(days=2))
    mailoutbox.clear()
    remind_at = trust_round.deadline - timedelta(days=7)
    reminders = Event.objects.filter(kind=EventKind.TRUST_ROUND_REMINDER, object_id=trust_round.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.trust_rounds_run(now=remind_at - timedelta(hours=1))
        assert not reminders.exists()
        services.trust_rounds_run(now=remind_at)
        services.trust_rounds_run(now=remind_at + timedelta(days=1))
        assert services.trust_rounds_run(now=remind_at + timedelta(days=1)).reminded == 0
    emails_due_send()
    assert reminders.count() == 1
    assert reminders.get().payload["organisation"] == demo.orgs.malmo.pk
    reminded = [
        m.to
        for m in mailoutbox
        if "Malmö stad har inte besvarat tillitsenkätens omgång 4" in m.subject
    ]
    assert [demo.malik.email] in reminded
    assert len(reminded) == len({tuple(to) for to in reminded})  # nobody twice

    with django_capture_on_commit_callbacks(execute=True):
        result = services.trust_rounds_run(now=trust_round.deadline)
    emails_due_send()
    assert result.closed >= 1
    trust_round.refresh_from_db()
    assert trust_round.closed_at == trust_round.deadline
    assert (trust_round.asked_count, trust_round.answered_count) == (4, 3)
    closed = Event.objects.get(kind=EventKind.TRUST_ROUND_CLOSED, object_id=trust_round.pk)
    assert closed.payload == {"number": 4, "asked": 4, "answered": 3}
    told = Notification.objects.filter(event=closed).values_list("recipient__username", flat=True)
    assert {"anna", "carl"} <= set(told)  # the committee and the coordinator

    html = client_for(demo.olle).get(reverse("case_trust", args=[demo.youth.reference]))
    html = html.content.decode()
    chart, table = _chart_values(html), _table_row(html, 4)
    for index, principle in enumerate(Principle.values):
        expected = Decimal(sum(values[index] for values in ANSWERS.values())) / 3
        assert abs(chart[(principle, 4)] - expected) < Decimal("0.01")
        assert table[index] == str(expected.quantize(Decimal("0.1"), ROUND_HALF_UP))
    assert table[-1] == "3 of 4"
    # The demo's round 3 had one answer: no average in the chart or the table.
    assert not any(number == 3 for _principle, number in chart)
    assert set(_table_row(html, 3)[:8]) == {"–"}


def test_running_the_job_twice_changes_nothing(demo) -> None:
    previous = _demo_round_closed(demo)
    opening = add_months(previous.opened_at, 3)
    assert services.trust_rounds_run(now=opening).opened >= 1
    events = Event.objects.count()
    again = services.trust_rounds_run(now=opening)
    assert (again.closed, again.reminded, again.opened) == (0, 0, 0)
    assert Event.objects.count() == events
    assert TrustRound.objects.filter(case=demo.youth).count() == 4


def test_a_case_is_first_asked_a_month_after_it_became_active(demo) -> None:
    started = demo.care.status_changes.filter(to_status="active").order_by("changed_at").first()
    assert not TrustRound.objects.filter(case=demo.care).exists()
    assert demo.care.pk not in services.cases_due(now=started.changed_at + timedelta(days=20))
    assert demo.care.pk in services.cases_due(now=add_months(started.changed_at, 1))


def test_the_coordinator_sets_how_often_and_the_history_keeps_the_old_value(
    demo, client_for
) -> None:
    url = reverse("trust_interval", args=[demo.youth.reference])
    assert client_for(demo.petra).post(url, {"interval_months": "6"}).status_code == 403
    response = client_for(demo.carl).post(url, {"interval_months": "6"})
    assert response.status_code == 302
    assert services.interval_months(demo.youth) == 6
    response = client_for(demo.carl).post(url, {"interval_months": "12"})
    assert services.interval_months(demo.youth) == 12
    history = demo.youth.trust_settings.history.order_by("history_date")
    assert [row.interval_months for row in history] == [6, 12]
    assert client_for(demo.carl).post(url, {"interval_months": "7"}).status_code == 200
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    # Half a year after the last round opened, not a quarter.
    assert demo.youth.pk not in services.cases_due(now=add_months(open_round.opened_at, 6))


@pytest.mark.parametrize(
    ("values", "field"),
    [([0, 3, 3, 3, 3, 3, 3, 3], "trust"), ([3, 3, 3, 3, 3, 3, 3, 6], "long_term")],
)
def test_a_score_outside_one_to_five_is_refused_by_its_principle(demo, values, field) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    with pytest.raises(ValidationError) as error:
        _answer(demo, "petra", open_round, open_round.opened_at, values)
    assert field in error.value.message_dict
    assert not TrustAnswer.objects.filter(
        response__round=open_round, response__organisation=demo.orgs.police
    ).exists()


def test_a_missing_principle_or_too_long_comment_is_refused(demo) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    scores = _scores(ANSWERS["petra"])
    del scores["openness"]
    with pytest.raises(ValidationError) as error:
        services.trust_answers_submit(
            actor=demo.petra,
            trust_round=open_round,
            organisation_id=demo.orgs.police.pk,
            scores=scores,
            comments={"trust": "x" * 1001},
            now=open_round.opened_at,
        )
    assert set(error.value.message_dict) == {"openness", "trust_comment"}


def test_only_an_organisation_asked_answers_and_only_through_its_members(demo) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    with pytest.raises(ValidationError) as error:  # Fryshuset observes: it is not asked
        _answer(
            demo,
            "olle",
            open_round,
            open_round.opened_at,
            ANSWERS["sara"],
            organisation="fryshuset",
        )
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError):  # Petra is not a member of Södertälje kommun
        _answer(demo, "petra", open_round, open_round.opened_at, organisation="sodertalje")


def test_no_answer_is_taken_after_the_deadline(demo) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    with pytest.raises(ValidationError):
        _answer(demo, "petra", open_round, open_round.deadline)
    services.trust_round_close(trust_round=open_round, now=open_round.deadline)
    with pytest.raises(ValidationError):
        _answer(demo, "petra", open_round, open_round.opened_at)
    assert not TrustResponse.objects.filter(
        round=open_round, organisation=demo.orgs.police, answered_at__isnull=False
    ).exists()


def test_a_changed_answer_keeps_the_earlier_value_without_naming_anyone(demo) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    _answer(demo, "petra", open_round, open_round.opened_at, [2] * 8)
    _answer(demo, "petra", open_round, open_round.opened_at + timedelta(days=1), [4] * 8)
    answer = TrustAnswer.objects.get(
        response__round=open_round, response__organisation=demo.orgs.police, principle="trust"
    )
    assert answer.score == 4
    history = answer.history.order_by("history_date")
    assert [row.score for row in history] == [2, 4]
    assert {row.history_user_id for row in history} == {None}
    assert not {f.name for f in TrustAnswer._meta.fields} & {"user", "answered_by", "actor"}


def test_too_few_answers_leave_no_average_to_read_one_organisation_from(demo, client_for):
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    _answer(demo, "petra", open_round, open_round.opened_at, [1] * 8)  # Södertälje answered too
    services.trust_round_close(trust_round=open_round, now=open_round.deadline)
    assert open_round.results.count() == 0
    response = client_for(demo.anna).get(f"/api/v1/cases/{demo.youth.reference}/trust/rounds/")
    newest = response.json()["results"][0]
    assert newest["answered_count"] == 2 and newest["averages"] == []


def test_a_reader_sees_only_their_own_organisations_answers(demo, client_for) -> None:
    """Sara's comment of round 2 is Södertälje kommun's: Petra, Olle and the committee see
    averages only; Sara sees her organisation's answers (and no one's name)."""
    comment = "Fältassistenterna behöver kunna ändra kvällspassen"
    page = reverse("case_trust", args=[demo.youth.reference])
    api = f"/api/v1/cases/{demo.youth.reference}/trust/rounds/"
    for user in (demo.petra, demo.olle, demo.anna, demo.carl):
        client = client_for(user)
        assert comment not in client.get(page).content.decode()
        body = client.get(api).content.decode()
        assert comment not in body
        if user != demo.petra:
            assert all(r["own_answers"] == [] for r in client.get(api).json()["results"])
    sara = client_for(demo.sara)
    assert comment in sara.get(page).content.decode()
    own = [r["own_answers"] for r in sara.get(api).json()["results"]]
    assert all(len(answers) == 1 for answers in own)
    assert own[0][0]["organisation"] == demo.orgs.sodertalje.pk
    assert "Sara" not in sara.get(api).content.decode()


def test_the_case_page_tells_an_organisation_that_has_not_answered(demo, client_for) -> None:
    page = reverse("case_detail", args=[demo.youth.reference])
    assert "has not answered yet" in client_for(demo.petra).get(page).content.decode()
    assert "has not answered yet" not in client_for(demo.sara).get(page).content.decode()
    assert "has not answered yet" not in client_for(demo.carl).get(page).content.decode()


def test_a_member_answers_on_the_page_and_may_change_it(demo, client_for) -> None:
    client = client_for(demo.petra)
    url = reverse("trust_answer", args=[demo.youth.reference])
    assert client.get(url).status_code == 200
    empty = client.post(url, {})
    assert empty.status_code == 200 and "Error:" in empty.content.decode()
    data = {p: "3" for p in Principle.values} | {"trust_comment": "Bra möten."}
    assert client.post(url, data).status_code == 302
    form = client.get(url).content.decode()
    assert "Bra möten." in form
    assert client_for(demo.olle).get(url).status_code == 403
    assert client_for(demo.eve).get(url).status_code == 404


def test_the_committee_overview_shows_each_case_and_the_overall_average(demo, client_for):
    url = reverse("trust_overview")
    assert client_for(demo.carl).get(url).status_code == 404
    html = client_for(demo.anna).get(url).content.decode()
    assert demo.youth.reference in html and "All cases" in html
    latest = TrustRound.objects.get(case=demo.youth, latest=True)
    average = TrustResult.objects.get(round=latest, principle="trust").average
    assert str(average.quantize(Decimal("0.1"), ROUND_HALF_UP)) in _table_row(html, 2)[0]
    api = client_for(demo.anna).get("/api/v1/trust/overall/").json()
    assert {row["principle"] for row in api} == set(Principle.values)


def test_closing_the_case_closes_its_open_round(demo) -> None:
    open_round = TrustRound.objects.get(case=demo.youth, closed_at=None)
    case_services.case_transition(
        actor=demo.anna, case=demo.youth, to_status="evaluating", reason="Utvärdering."
    )
    open_round.refresh_from_db()
    assert open_round.closed_at is None  # the organisations still assess while it is evaluated
    case_services.case_transition(
        actor=demo.anna, case=demo.youth, to_status="closed", reason="Klart."
    )
    open_round.refresh_from_db()
    assert open_round.closed_at is not None and open_round.answered_count == 1
    assert Event.objects.filter(kind=EventKind.TRUST_ROUND_CLOSED, object_id=open_round.pk).exists()
