"""The committee's portfolio report: a summary table and a page per case; at once when small,
in the background when large (progress page, a download link in the inbox); the requester's
alone; removed after the retention period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from notifications.choices import EventKind
from notifications.models import Notification
from reports import services
from reports.choices import ReportKind, ReportState
from reports.models import Report
from reports.portfolio import portfolio_cases

from .conftest import pdf_text


@pytest.fixture
def large(settings) -> None:
    """Every portfolio counts as large: the demo's cases are more than one."""
    settings.REPORTS_AT_ONCE_MAX_CASES = 1


def _ask_in_background(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio_report"), {"language": "en"})
    return response


def test_small_portfolio_report_is_a_pdf_at_once_with_a_summary_and_a_page_per_case(
    demo, client_for
) -> None:
    response = client_for(demo.anna).post(reverse("portfolio_report"), {"language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    cases = list(portfolio_cases())
    assert "Summary" in text
    for case in cases:
        assert case.title in text
        assert case.reference in text
    assert pages >= len(cases) + 1  # the summary, then one page per case
    assert not Report.objects.exists()


def test_large_portfolio_report_runs_in_the_background_and_the_inbox_links_the_download(
    demo, client_for, large, django_capture_on_commit_callbacks
) -> None:
    client = client_for(demo.anna)
    response = _ask_in_background(client, django_capture_on_commit_callbacks)
    report = Report.objects.get(requested_by=demo.anna)
    assert response.status_code == 302
    assert response["Location"] == reverse("report_detail", args=[report.uuid])
    assert report.state == ReportState.READY
    assert report.page_count >= portfolio_cases().count() + 1

    page = client.get(response["Location"]).content.decode()
    download = reverse("report_download", args=[report.uuid])
    assert f"Ready: {report.page_count} pages." in page
    assert download in page

    notification = Notification.objects.get(recipient=demo.anna, event__kind=EventKind.REPORT_READY)
    inbox = client.get(reverse("inbox")).content.decode()
    assert download in inbox
    assert "Your portfolio report is ready to download" in inbox
    assert notification.event.case is None

    pdf = client.get(download)
    assert pdf.status_code == 200
    text, pages = pdf_text(b"".join(pdf.streaming_content))
    assert pages == report.page_count
    for case in portfolio_cases():
        assert case.title in text


def test_progress_page_shows_how_far_the_generation_has_come(demo, client_for) -> None:
    report = Report.objects.create(kind=ReportKind.PORTFOLIO, requested_by=demo.anna, language="en")
    assert services.report_claim(report_id=report.pk, steps_total=5)
    services.report_progress_record(report_id=report.pk, steps_done=2)
    client = client_for(demo.anna)
    page = client.get(reverse("report_detail", args=[report.uuid])).content.decode()
    assert "Being generated: 40 % done." in page
    assert 'value="40"' in page
    assert 'hx-trigger="every 2s"' in page  # the page keeps asking until it is done
    fragment = client.get(reverse("report_detail", args=[report.uuid]), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"40 % done" in fragment.content
    # A redelivered task finds the report taken and does nothing.
    assert not services.report_claim(report_id=report.pk, steps_total=5)


def test_a_report_is_its_requesters_alone(
    demo, client_for, large, django_capture_on_commit_callbacks
) -> None:
    _ask_in_background(client_for(demo.anna), django_capture_on_commit_callbacks)
    report = Report.objects.get(requested_by=demo.anna)
    for url in (
        reverse("report_detail", args=[report.uuid]),
        reverse("report_download", args=[report.uuid]),
    ):
        assert client_for(demo.carl).get(url).status_code == 404
        assert client_for(demo.eve).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302  # to the sign-in page


@pytest.mark.parametrize("persona", ["carl", "sara", "petra", "olle", "eve"])
def test_the_portfolio_report_is_the_committees(demo, client_for, persona: str) -> None:
    client = client_for(getattr(demo, persona))
    assert client.get(reverse("portfolio_report")).status_code == 404
    with_nothing = Report.objects.count()
    assert client.post(reverse("portfolio_report")).status_code == 404
    assert Report.objects.count() == with_nothing


def test_a_case_report_in_the_background_fails_when_its_requester_lost_sight_of_the_case(
    demo, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services.report_request(
            user=demo.petra, kind=ReportKind.CASE, case=demo.youth, language="sv"
        )
    demo.youth.participations.filter(organisation=demo.orgs.police).update(state="withdrawn")
    for callback in callbacks:
        callback()
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert not Notification.objects.filter(event__kind=EventKind.REPORT_READY).exists()


def test_generated_files_are_removed_after_the_retention_period(
    demo, client_for, large, settings, django_capture_on_commit_callbacks
) -> None:
    settings.REPORTS_RETENTION_DAYS = 7
    client = client_for(demo.anna)
    _ask_in_background(client, django_capture_on_commit_callbacks)
    report = Report.objects.get(requested_by=demo.anna)
    stored = report.file.path
    assert services.reports_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert services.reports_purge(now=timezone.now() + timedelta(days=8)) == 1
    report.refresh_from_db()
    assert report.state == ReportState.EXPIRED
    import os

    assert not os.path.exists(stored)
    response = client.get(reverse("report_download", args=[report.uuid]), follow=True)
    assert b"This report has been removed" in response.content


def test_portfolio_summary_reads_one_query_however_many_cases(
    demo, django_assert_num_queries
) -> None:
    from reports.portfolio import portfolio_summary

    with django_assert_num_queries(1):
        rows = portfolio_summary(portfolio_cases())
    youth = next(row for row in rows if row["case"].pk == demo.youth.pk)
    assert youth["lead_organisation"] == "Södertälje kommun"
    assert youth["overdue"] == 1 and youth["blocked"] == 1
    assert len(rows) == Case.objects.exclude(status="closed").count()
