"""Measurement review, correction and outcome editing in the browser pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.choices import ReviewState
from cases.models import Measurement, Outcome
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def suspects(demo) -> Outcome:
    return Outcome.objects.get(case=demo.youth, direction="decrease")


@pytest.fixture
def occupied(demo) -> Outcome:
    return Outcome.objects.get(case=demo.youth, direction="increase")


def _report(demo, outcome, value, *, actor=None, org=None, day=TODAY) -> Measurement:
    return services.measurement_report(
        actor=actor or demo.petra,
        outcome=outcome,
        organisation=org or demo.orgs.police,
        value=Decimal(value),
        measured_on=day,
    )


def _case_page(client, demo) -> str:
    response = client.get(reverse("case_detail", args=[demo.youth.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _chart_points(html: str, outcome: Outcome) -> int:
    start = html.index(f'id="chart-{outcome.pk}-t"')
    chart = html[start : html.index("</svg>", start)]
    return chart.count('class="chart-point"')


def test_the_coordinator_sees_pending_values_on_the_dashboard(client_for, demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    html = client_for(demo.carl).get(reverse("dashboard")).content.decode()
    assert "Values waiting for your review" in html
    assert reverse("measurement_review", args=[measurement.pk]) in html
    assert "43\xa0personer from Polismyndigheten" in html


def test_a_partner_has_no_review_list(client_for, demo, suspects) -> None:
    _report(demo, suspects, 43)
    html = client_for(demo.petra).get(reverse("dashboard")).content.decode()
    assert "Values waiting for your review" not in html


def test_a_submitted_value_is_in_the_table_marked_but_not_in_the_chart(
    client_for, demo, suspects
) -> None:
    client = client_for(demo.carl)
    points = _chart_points(_case_page(client, demo), suspects)
    _report(demo, suspects, 43)
    html = _case_page(client, demo)
    assert _chart_points(html, suspects) == points
    row = re.search(r"<tr class=\"review-submitted\">.*?43\xa0personer.*?</tr>", html, re.S)
    assert row is not None and "Submitted" in row.group(0)


def test_returning_without_a_comment_shows_the_error_by_the_field(
    client_for, demo, suspects
) -> None:
    measurement = _report(demo, suspects, 43)
    url = reverse("measurement_review", args=[measurement.pk])
    with nothing_written():
        response = client_for(demo.carl).post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200
    assert 'id="id_comment_errors"' in response.content.decode()


def test_only_reviewers_open_the_review_page(client_for, demo, suspects) -> None:
    measurement = _report(demo, suspects, 43)
    url = reverse("measurement_review", args=[measurement.pk])
    assert client_for(demo.petra).get(url).status_code == 403
    assert client_for(demo.eve).get(url).status_code == 404


def test_the_timeline_shows_a_correction_with_a_decimal_comma_in_swedish(
    client_for, demo, occupied
) -> None:
    measurement = _report(demo, occupied, "88.5", actor=demo.carl, org=demo.orgs.sodertalje)
    services.measurement_correct(
        actor=demo.carl,
        measurement=measurement,
        data={"value": Decimal("86.5")},
        reason="Dubbelräknat",
    )
    html = _case_page(client_for(demo.carl, "sv"), demo)
    assert "rättat 88,5\xa0% → 86,5\xa0% (Dubbelräknat)" in html
    assert "86,5\xa0%" in html


def test_counts_have_no_decimals_and_percentages_read_with_a_percent_sign(
    client_for, demo, suspects, occupied
) -> None:
    html = _case_page(client_for(demo.carl), demo)
    assert "60\xa0personer" in html  # the baseline, not "60.00"
    assert "88\xa0%" in html
    assert "60.00" not in html


def test_the_reporter_corrects_a_returned_value_in_the_browser(client_for, demo, suspects) -> None:
    returned = suspects.measurements.get(review_state=ReviewState.RETURNED)
    url = reverse("measurement_correct", args=[returned.pk])
    response = client_for(demo.petra).post(
        url,
        {
            "value": "43",
            "measured_on": returned.measured_on.isoformat(),
            "note": "",
            "reason": "Rätt urval",
            "version": returned.version,
        },
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert (returned.value, returned.review_state) == (Decimal(43), ReviewState.SUBMITTED)


def test_a_case_manager_edits_an_outcome_in_the_browser(client_for, demo, suspects) -> None:
    url = reverse("outcome_edit", args=[suspects.pk])
    client = client_for(demo.carl)
    form = client.get(url)
    assert form.status_code == 200
    data = {
        name: (value if value is not None else "")
        for name, value in form.context["form"].initial.items()
    }
    data.update(title="Färre unga misstänkta", max_value="400")
    assert client.post(url, data).status_code == 302
    suspects.refresh_from_db()
    assert (suspects.title, suspects.max_value) == ("Färre unga misstänkta", Decimal(400))
    assert client_for(demo.petra).get(url).status_code == 403


def test_an_outcome_with_approved_values_is_archived_from_the_remove_page(
    client_for, demo, suspects
) -> None:
    url = reverse("outcome_remove", args=[suspects.pk])
    client = client_for(demo.carl)
    assert "Archive the outcome" in client.get(url).content.decode()
    with nothing_written():
        refused = client.post(url, {"reason": ""})
    assert 'id="id_reason_errors"' in refused.content.decode()
    assert client.post(url, {"reason": "Ersatt"}).status_code == 302
    suspects.refresh_from_db()
    assert suspects.archived_at is not None
    assert "Färre unga misstänkta för brott" not in _case_page(client, demo).split("Timeline")[0]


# Queries: the same for 1 and 50 values, on the case page and on the dashboard.


def _fill(demo, outcome: Outcome, start: int, stop: int) -> None:
    for i in range(start, stop):
        m = _report(demo, outcome, i, day=TODAY - dt.timedelta(days=i))
        if i % 3 == 1:
            services.measurement_approve(actor=demo.carl, measurement=m)
        elif i % 3 == 2:
            services.measurement_return(actor=demo.carl, measurement=m, comment="Kolla")


def _new_outcome(demo) -> Outcome:
    return services.outcome_create(
        actor=demo.carl,
        case=demo.youth,
        title="Mätmål",
        indicator="I",
        unit="st",
        value_kind="count",
        direction="increase",
        baseline_value=Decimal(0),
        baseline_date=TODAY - dt.timedelta(days=400),
        target_value=Decimal(1000),
        target_date=TODAY + dt.timedelta(days=100),
    )


@pytest.mark.parametrize(
    ("persona", "page"), [("carl", "case"), ("petra", "case"), ("carl", "dashboard")]
)
def test_pages_cost_the_same_queries_for_1_and_50_values(
    django_assert_num_queries, client_for, demo, persona, page
) -> None:
    outcome = _new_outcome(demo)
    client = client_for(getattr(demo, persona))
    url = reverse("case_detail", args=[demo.youth.reference]) if page == "case" else "/"
    _fill(demo, outcome, 0, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _fill(demo, outcome, 1, 50)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    print(f"{persona} {page}: {len(few)} queries with 1 and with 50 values")


# Who may open the new pages: invisible is 404, visible but not allowed is 403.

PAGES = {
    # page: personas that may open it (the police's submitted value; carl coordinates)
    "measurement_review": {"anna", "carl"},
    "measurement_correct": {"anna", "carl", "petra"},
    "measurement_withdraw": {"anna", "carl", "petra"},
    "outcome_edit": {"anna", "carl"},
    "outcome_remove": {"anna", "carl"},
}
VIEWERS = {"anna", "carl", "sara", "petra", "olle"}


@pytest.mark.parametrize("persona", ["anna", "carl", "sara", "petra", "olle", "eve"])
@pytest.mark.parametrize("page", list(PAGES))
def test_persona_opens_the_review_and_outcome_pages_the_rules_allow(
    client_for, demo, suspects, page, persona
) -> None:
    measurement = _report(demo, suspects, 43)
    pk = suspects.pk if page.startswith("outcome") else measurement.pk
    status = client_for(getattr(demo, persona)).get(reverse(page, args=[pk])).status_code
    expected = 200 if persona in PAGES[page] else 403 if persona in VIEWERS else 404
    assert status == expected


HOSTILE = ["", " ", "\x00", "a\x00b", "9" * 40, "-1", "1e999", "NaN", "2026-13-45", "[1, 2]"]


def test_hostile_values_in_the_review_forms_give_errors_never_a_500(
    client_for, demo, suspects
) -> None:
    measurement = _report(demo, suspects, 43)
    forms = [
        (demo.carl, reverse("measurement_review", args=[measurement.pk]), ["decision", "comment"]),
        (
            demo.petra,
            reverse("measurement_correct", args=[measurement.pk]),
            ["value", "measured_on", "note", "reason", "version"],
        ),
        (
            demo.carl,
            reverse("outcome_edit", args=[suspects.pk]),
            ["title", "value_kind", "min_value", "max_value", "baseline_value", "direction"],
        ),
    ]
    for user, url, fields in forms:
        client = client_for(user)
        for value in HOSTILE:
            with nothing_written():
                response = client.post(url, dict.fromkeys(fields, value))
            assert response.status_code == 200, (url, value, response.status_code)
            assert "The form could not be saved" in response.content.decode(), (url, value)
