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
