"""Effect follow-ups: closing schedules them, reopening cancels them, the daily job reminds once,
the portfolio flags the overdue ones, and a reviewed follow-up value shows on the closed case."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus, ReviewState
from cases.models import Case, Measurement
from cases.services.common import TransitionNotAllowed
from followups import services
from followups.choices import FollowUpStatus
from followups.events import lead_recipients
from followups.models import FollowUp
from notifications.choices import EventKind
from notifications.models import Event
from portfolio import selectors as portfolio_selectors
from tests.followups.helpers import close, closed_ago, second_outcome
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(demo):
    """The care case (Region Skåne leads, Anna coordinates) with two outcomes, closed today."""
    second_outcome(demo.anna, demo.care)
    close(demo.anna, demo.care)
    return demo.care


def _at(day) -> datetime:  # the daily job's run on `day`, at 06:10 in Stockholm
    return timezone.make_aware(datetime.combine(day, time(6, 10)))


def _six_month_points(case: Case) -> list[FollowUp]:
    return list(FollowUp.objects.filter(case=case, months=6).order_by("outcome_id"))


def test_closing_a_case_with_two_outcomes_schedules_six_follow_ups(closed) -> None:
    today = timezone.localdate()
    points = FollowUp.objects.filter(case=closed).order_by("outcome_id", "months")
    assert [(p.months, p.due_on, p.status) for p in points] == [
        (months, today + relativedelta(months=months), FollowUpStatus.SCHEDULED)
        for _outcome in range(2)
        for months in (6, 12, 24)
    ]


def test_an_archived_outcome_gets_no_follow_ups(demo) -> None:
    extra = second_outcome(demo.anna, demo.care)
    case_services.outcome_archive(actor=demo.anna, outcome=extra, reason="Mäts inte längre.")
    close(demo.anna, demo.care)
    assert FollowUp.objects.filter(case=demo.care).count() == 3


def test_reopening_cancels_the_waiting_follow_ups_and_closing_again_schedules_them(
    closed, demo
) -> None:
    case_services.case_transition(
        actor=demo.anna, case=closed, to_status=CaseStatus.ACTIVE, reason="Nya siffror."
    )
    assert set(FollowUp.objects.filter(case=closed).values_list("status", flat=True)) == {
        FollowUpStatus.CANCELLED
    }
    assert FollowUp.history.filter(case_id=closed.pk, status=FollowUpStatus.CANCELLED).count() == 6
    close(demo.anna, closed)
    assert FollowUp.objects.filter(case=closed, status=FollowUpStatus.SCHEDULED).count() == 6


def _reminders(case: Case, now: datetime) -> list[str]:
    """Run the daily job at `now`; the kinds of the reminders it sent about `case`."""
    seen = Event.objects.filter(case=case).values_list("pk", flat=True)
    before = set(seen)
    services.followups_due(now=now)
    fresh = Event.objects.filter(case=case, kind__startswith="followup.").exclude(pk__in=before)
    return sorted(fresh.values_list("kind", flat=True))


def test_the_daily_job_reminds_once_when_due_and_once_when_overdue(closed, demo) -> None:
    six = timezone.localdate() + relativedelta(months=6)
    assert _reminders(closed, _at(six - timedelta(days=1))) == []
    assert _reminders(closed, _at(six)) == [EventKind.FOLLOWUP_DUE] * 2
    assert _reminders(closed, _at(six)) == []  # once, however often the job runs
    assert _reminders(closed, _at(six + timedelta(days=30))) == []  # within the grace period
    late = six + timedelta(days=31)
    assert _reminders(closed, _at(late)) == [EventKind.FOLLOWUP_OVERDUE] * 2
    assert _reminders(closed, _at(late + timedelta(days=1))) == []
    due = Event.objects.filter(case=closed, kind=EventKind.FOLLOWUP_DUE).first()
    assert demo.maja.pk in lead_recipients(due)  # Region Skåne's admin and contact person
    assert demo.malik.pk not in lead_recipients(due)  # a partner is not asked


def test_a_reported_follow_up_is_not_reminded_as_overdue(closed, demo) -> None:
    closed_ago(closed, months=7, days=10)
    point = _six_month_points(closed)[0]
    services.followup_report(
        actor=demo.maja,
        followup=point,
        organisation=demo.orgs.region_skane,
        value=Decimal(40),
        measured_on=timezone.localdate(),
    )
    kinds = _reminders(closed, timezone.now())
    assert kinds == [EventKind.FOLLOWUP_DUE, EventKind.FOLLOWUP_OVERDUE]  # the other outcome's


def test_the_portfolio_flags_a_closed_case_with_an_overdue_follow_up(closed, demo) -> None:
    def flagged() -> bool:
        rows = portfolio_selectors.portfolio_rows(Case.objects.filter(pk=closed.pk))
        return rows.get().flag_followup_overdue

    closed_ago(closed, months=6, days=20)
    assert not flagged()  # due, within the grace period
    closed_ago(closed, months=7, days=5)
    assert flagged()
    rows = portfolio_selectors.portfolio_filter(
        portfolio_selectors.portfolio_rows(Case.objects.all()), {"flag": "followup_overdue"}
    )
    assert [row.pk for row in rows] == [closed.pk]


def test_lead_reports_the_value_the_coordinator_approves_and_the_closed_case_shows_it(
    closed, demo, client_for
) -> None:
    closed_ago(closed, months=6, days=2)
    point = _six_month_points(closed)[0]
    page = reverse("case_detail", args=[closed.reference])
    html = client_for(demo.maja).get(page).content.decode()
    assert "Did the effect hold?" in html
    report_url = reverse("followup_report", args=[closed.reference, point.pk])
    assert report_url in html
    response = client_for(demo.maja).post(
        report_url,
        {
            "organisation": demo.orgs.region_skane.pk,
            "value": "28",
            "measured_on": timezone.localdate().isoformat(),
            "note": "",
        },
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.status == FollowUpStatus.ANSWERED
    assert point.measurement.review_state == ReviewState.SUBMITTED
    review = reverse("measurement_review", args=[point.measurement.pk])
    html = client_for(demo.anna).get(page).content.decode()
    assert "Waiting for review" in html and review in html  # the coordinator reviews it
    assert client_for(demo.anna).post(review, {"decision": "approve"}).status_code == 302
    html = client_for(demo.malik).get(page).content.decode()
    assert "The effect held" in html
    assert "28 dagar" in html or "28" in html


def test_a_returned_follow_up_value_is_corrected_by_its_organisation_and_reviewed_again(
    closed, demo
) -> None:
    closed_ago(closed, months=6, days=2)
    point = _six_month_points(closed)[0]
    value = services.followup_report(
        actor=demo.maja,
        followup=point,
        organisation=demo.orgs.region_skane,
        value=Decimal(50),
        measured_on=timezone.localdate(),
    )
    value = case_services.measurement_return(
        actor=demo.anna, measurement=value, comment="Gäller det hela regionen?"
    )
    value = case_services.measurement_correct(
        actor=demo.maja, measurement=value, data={"value": Decimal(45)}, reason="Hela regionen."
    )
    assert (value.value, value.review_state) == (Decimal(45), ReviewState.SUBMITTED)
    case_services.measurement_approve(actor=demo.anna, measurement=value)


def test_a_follow_up_value_cannot_be_reported_before_its_day(closed, demo) -> None:
    point = _six_month_points(closed)[0]
    with nothing_written(), pytest.raises(TransitionNotAllowed):
        services.followup_report(
            actor=demo.maja,
            followup=point,
            organisation=demo.orgs.region_skane,
            value=Decimal(40),
            measured_on=timezone.localdate(),
        )


def test_a_partner_cannot_report_a_follow_up_value(closed, demo) -> None:
    closed_ago(closed, months=6, days=2)
    point = _six_month_points(closed)[0]
    with nothing_written(), pytest.raises(PermissionDenied):
        services.followup_report(
            actor=demo.malik,
            followup=point,
            organisation=demo.orgs.region_skane,
            value=Decimal(40),
            measured_on=timezone.localdate(),
        )
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.followup_report(
            actor=demo.malik,
            followup=point,
            organisation=demo.orgs.malmo,
            value=Decimal(40),
            measured_on=timezone.localdate(),
        )
    assert "organisation" in error.value.message_dict


def test_a_follow_up_is_answered_once(closed, demo) -> None:
    closed_ago(closed, months=6, days=2)
    point = _six_month_points(closed)[0]
    arguments = {
        "actor": demo.maja,
        "followup": point,
        "organisation": demo.orgs.region_skane,
        "value": Decimal(40),
        "measured_on": timezone.localdate(),
    }
    services.followup_report(**arguments)
    with nothing_written(), pytest.raises(TransitionNotAllowed):
        services.followup_report(
            **{**arguments, "measured_on": timezone.localdate() - timedelta(1)}
        )


def test_a_closed_case_still_refuses_every_other_measurement(closed, demo) -> None:
    """Without a due follow-up (or outside the follow-up's report) the closed case stays shut."""
    outcome = closed.outcomes.order_by("id").first()
    for after_closing in (False, True):  # True: no follow-up of the case is due yet
        with nothing_written(), pytest.raises(ValidationError, match="closed"):
            case_services.measurement_report(
                actor=demo.maja,
                outcome=outcome,
                organisation=demo.orgs.region_skane,
                value=Decimal(40),
                measured_on=timezone.localdate(),
                after_closing=after_closing,
            )
    closed_ago(closed, months=6, days=2)
    with nothing_written(), pytest.raises(ValidationError, match="closed"):
        case_services.measurement_report(  # the ordinary way, although a follow-up is due
            actor=demo.maja,
            outcome=outcome,
            organisation=demo.orgs.region_skane,
            value=Decimal(40),
            measured_on=timezone.localdate(),
        )
    pending = Measurement.objects.filter(
        outcome__case=closed, review_state=ReviewState.SUBMITTED
    ).first()
    with nothing_written(), pytest.raises(ValidationError, match="closed"):
        case_services.measurement_approve(actor=demo.anna, measurement=pending)


def test_the_follow_up_value_is_dated_after_the_closing(closed, demo) -> None:
    closed_on = closed_ago(closed, months=6, days=2)
    point = _six_month_points(closed)[0]
    with nothing_written(), pytest.raises(ValidationError) as error:
        services.followup_report(
            actor=demo.maja,
            followup=point,
            organisation=demo.orgs.region_skane,
            value=Decimal(40),
            measured_on=closed_on - timedelta(days=1),
        )
    assert "measured_on" in error.value.message_dict


def test_an_open_case_page_has_no_effect_section(demo, client_for) -> None:
    html = client_for(demo.anna).get(reverse("case_detail", args=[demo.care.reference])).content
    assert b"Did the effect hold?" not in html


def test_the_demo_shows_a_closed_case_whose_effect_held_and_a_due_follow_up(
    demo, client_for
) -> None:
    case = Case.objects.get(title__startswith="Trygga skolvägar")
    html = client_for(demo.anna).get(reverse("case_detail", args=[case.reference])).content
    html = html.decode()
    assert html.count("The effect held") == 2
    assert html.count("Not reported") == 2  # the 12-month points, due ten days ago
    assert "Report the 12-month value" in html


def test_the_schedule_runs_the_reminders_daily_through_a_thin_task(closed, demo) -> None:
    from django.conf import settings

    from followups.tasks import followups_due as task

    entry = settings.CELERY_BEAT_SCHEDULE["followups-due"]
    assert entry["task"] == task.name
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {10}
    assert task.delay().get() == {"due": 2, "overdue": 0}  # the demo's 12-month points


def test_a_submitted_follow_up_value_waits_in_the_coordinators_review_queue(closed, demo) -> None:
    from cases import selectors as case_selectors

    closed_ago(closed, months=6, days=2)
    value = services.followup_report(
        actor=demo.maja,
        followup=_six_month_points(closed)[0],
        organisation=demo.orgs.region_skane,
        value=Decimal(40),
        measured_on=timezone.localdate(),
    )
    queue = case_selectors.measurements_pending_review(demo.anna)
    closed_values = list(queue.filter(outcome__case=closed).values_list("pk", flat=True))
    assert closed_values == [value.pk]  # not the values left pending when the case closed
