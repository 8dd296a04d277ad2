"""The case report (lägesrapport): generated from HTML templates, in the reader's language, with
the same access as the case page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from cases.choices import ParticipationState, ReviewState
from cases.formatting import format_figure
from cases.models import Measurement

from .conftest import pdf_text

REPORT_PAGES: dict[str, int] = {}
QUERIES_PER_CASE_REPORT = 11


def _latest_approved(case):  # type: ignore[no-untyped-def]
    return (
        Measurement.objects.filter(outcome__case=case, review_state=ReviewState.APPROVED)
        .select_related("outcome")
        .order_by("-measured_on", "-id")
        .first()
    )


@pytest.mark.parametrize(("language", "heading"), [("sv", "Lägesrapport"), ("en", "Status report")])
def test_case_report_of_the_largest_demo_case_names_title_participants_and_latest_value(
    demo, client_for, language: str, heading: str
) -> None:
    client = client_for(demo.carl)
    url = reverse("case_report", args=[demo.youth.reference])
    response = client.get(url, {"language": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    if os.environ.get("REPORT_PDF_DIR"):  # docs/screenshots/case-report.png is made from this
        Path(os.environ["REPORT_PDF_DIR"], f"case-report-{language}.pdf").write_bytes(
            response.content
        )
    REPORT_PAGES[language] = pages
    print(f"case report {demo.youth.reference} ({language}): {pages} pages")
    assert heading.lower() in text.lower()
    assert demo.youth.title in text
    current = demo.youth.participations.filter(
        state__in=(ParticipationState.ACTIVE, ParticipationState.INVITED)
    ).select_related("organisation")
    with translation.override(language):
        names = [p.organisation.display_name for p in current]
        latest = _latest_approved(demo.youth)
        figure = format_figure(latest.value, latest.outcome)
    assert names
    for name in names:
        assert name in text
    assert figure.replace("\u00a0", " ") in text.replace("\u00a0", " ")


def test_restricted_case_report_is_404_to_an_outsider_and_to_anonymous(demo, client_for) -> None:
    url = reverse("case_report", args=[demo.youth.reference])
    assert client_for(demo.eve).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def _grow(case, demo) -> None:  # type: ignore[no-untyped-def]
    """Fifty more actions in each status, each with an update of today, and 200 more approved
    values of the case's first outcome."""
    from datetime import timedelta

    from cases.choices import ActionStatus
    from cases.models import Action, ActionUpdate, Outcome

    actions = Action.objects.bulk_create(
        Action(
            case=case,
            title=f"Extra {status} {n}",
            lead_organisation=demo.orgs.sodertalje,
            status=status,
            created_by=demo.anna,
        )
        for status in ActionStatus.values
        for n in range(50)
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=a, author=demo.anna, text="Lägesuppdatering", old_status=a.status)
        for a in actions
    )
    outcome = Outcome.objects.filter(case=case).order_by("pk").first()
    first = outcome.baseline_date
    Measurement.objects.bulk_create(
        Measurement(
            outcome=outcome,
            value=outcome.baseline_value,
            measured_on=first - timedelta(days=n + 1),  # before the demo's own values
            organisation=demo.orgs.police,
            reported_by=demo.anna,
            review_state=ReviewState.APPROVED,
        )
        for n in range(200)
    )


def test_case_report_reads_the_same_number_of_queries_for_a_small_and_a_large_case(
    demo, django_assert_num_queries
) -> None:
    """Every section is read in a fixed number of queries and cut to its first rows."""
    from reports.content import case_report_context

    def context():  # type: ignore[no-untyped-def]
        case = type(demo.youth).objects.select_related("theme", "coordinator").get(pk=demo.youth.pk)
        viewer = type(demo.carl).objects.get(pk=demo.carl.pk)  # nothing cached on the user
        with django_assert_num_queries(QUERIES_PER_CASE_REPORT):
            return case_report_context(viewer, case)

    small = context()
    _grow(demo.youth, demo)
    large = context()
    assert sum(len(g["actions"]) for g in large["action_groups"]) == 5 * 25
    assert len(large["updates"]) == 30 and len(small["updates"]) < 30
