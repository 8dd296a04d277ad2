"""The dashboard's recent activity folds runs of alike events into one line with a count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Outcome
from cases.services import action_update_post, measurement_report
from cases.views.activity import group_activity
from notifications.choices import EventKind
from notifications.models import Event
from notifications.services import case_follow

pytestmark = pytest.mark.django_db


def _report(demo, user, organisation, times: int, start: int = 0) -> None:
    outcome = Outcome.objects.filter(case=demo.youth).first()
    away = 1 if outcome.target_value < outcome.baseline_value else -1  # never reach the target
    for i in range(times):
        measurement_report(
            actor=user,
            outcome=outcome,
            organisation=organisation,
            value=outcome.baseline_value + away * (1 + i),
            # the demo's values are on each month's 1st; one value per organisation and date
            measured_on=outcome.baseline_date + timedelta(days=2 + start + i),
        )


def _activity(html: str) -> str:
    return html[html.index('id="activity-heading"') :]


def test_ten_measurements_by_one_person_read_as_one_line(demo, client_for):
    case_follow(case=demo.youth, user=demo.anna)
    action_update_post(actor=demo.anna, action=demo.actions.picture, text="Ny lägesbild klar.")
    _report(demo, demo.petra, demo.orgs.police, 10)
    html = _activity(client_for(demo.anna).get(reverse("dashboard")).content.decode())
    assert html.count("Petra Persson reported 10 measurements") == 1
    first_line = html[: html.index("</li>")]
    assert "Measurement reported" in first_line and "Petra Persson reported 10" in first_line
    assert "Anna" in html[html.index("</li>") :]  # the progress update is the next line


def test_runs_by_different_people_stay_apart(demo, client_for):
    case_follow(case=demo.youth, user=demo.anna)
    _report(demo, demo.petra, demo.orgs.police, 2)
    _report(demo, demo.sara, demo.orgs.sodertalje, 1)
    _report(demo, demo.petra, demo.orgs.police, 1, start=2)
    html = _activity(client_for(demo.anna).get(reverse("dashboard")).content.decode())
    lines = html.split("</li>")
    assert "Petra Persson reported " in lines[0] and "measurements" not in lines[0]
    assert "Sara" in lines[1] and "Petra Persson reported 2 measurements" in lines[2]


def test_repeated_kinds_without_a_plural_sentence_get_a_count(demo):
    now = timezone.now()
    events = [
        Event(
            kind=EventKind.ACTION_UNBLOCKED,
            case_id=demo.youth.pk,
            actor=demo.carl,
            payload={"title": "Lägesbild"},
            created_at=now - timedelta(minutes=i),
        )
        for i in range(3)
    ]
    (line,) = group_activity(events, limit=10)
    assert line.count == 3 and line.message.endswith("(×3)")
    assert line.earliest < line.latest


def test_grouping_keeps_at_most_the_asked_number_of_lines(demo):
    now = timezone.now()
    events = [
        Event(kind=EventKind.CASE_UPDATED, case_id=i, actor=demo.carl, created_at=now)
        for i in range(30)
    ]
    assert len(group_activity(events, limit=10)) == 10


def test_folded_line_is_in_swedish_for_swedish_readers(demo, client_for):
    case_follow(case=demo.youth, user=demo.anna)
    action_update_post(actor=demo.anna, action=demo.actions.picture, text="Ny lägesbild klar.")
    _report(demo, demo.petra, demo.orgs.police, 3)
    html = _activity(client_for(demo.anna, "sv").get(reverse("dashboard")).content.decode())
    assert "Petra Persson rapporterade 3 mätningar" in html
