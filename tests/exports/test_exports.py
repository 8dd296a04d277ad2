"""Every list as CSV and XLSX: the page's rows, filters and access; typed cells; streamed."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse

from cases.models import Case, Measurement
from tests.exports.conftest import body, workbook_of


def _url(slug: str, extension: str, query: str = "") -> str:
    return reverse("export_download", args=[slug, extension]) + (f"?{query}" if query else "")


def _csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Swedish Excel needs the byte order mark to read å, ä, ö"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_case_list_csv_is_for_swedish_excel_with_swedish_headers_and_the_pages_filters(
    demo, client_for
) -> None:
    response = client_for(demo.anna, "sv").get(_url("cases", "csv", "status=active"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:4] == ["Diarienummer", "Rubrik", "Sammanfattning", "Status"]
    active = Case.objects.filter(status="active").count()
    assert len(rows) - 1 == active > 0
    assert {row[3] for row in rows[1:]} == {"Aktivt"}


def test_outsider_case_export_has_no_restricted_case(demo, client_for) -> None:
    rows = _csv_rows(client_for(demo.eve).get(_url("cases", "csv")))
    references = {row[0] for row in rows[1:]}
    assert demo.youth.reference not in references
    assert demo.public.reference in references


def test_restricted_case_lists_are_404_to_an_outsider_as_their_pages_are(demo, client_for) -> None:
    eve = client_for(demo.eve)
    for slug in ("actions", "participants", "outcomes", "measurements"):
        for extension in ("csv", "xlsx"):
            response = eve.get(_url(slug, extension, f"case={demo.youth.reference}"))
            assert response.status_code == 404, slug
    outcome = demo.youth.outcomes.first()
    assert eve.get(_url("measurements", "csv", f"outcome={outcome.pk}")).status_code == 404


def test_all_measurements_export_of_an_outsider_leaves_out_restricted_cases(
    demo, client_for
) -> None:
    rows = _csv_rows(client_for(demo.eve).get(_url("measurements", "csv")))
    restricted = set(
        Case.objects.filter(visibility="restricted").values_list("reference", flat=True)
    )
    assert not restricted & {row[1] for row in rows[1:]}


def test_measurements_xlsx_has_date_cells_and_number_cells(demo, client_for) -> None:
    response = client_for(demo.carl).get(
        _url("measurements", "xlsx", f"case={demo.youth.reference}")
    )
    assert response.status_code == 200
    sheet = workbook_of(response).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Measurement id", "Case", "Outcome id")
    standing = Measurement.objects.filter(outcome__case=demo.youth).exclude(
        review_state="withdrawn"
    )
    assert len(rows) - 1 == standing.count()
    first = rows[1]
    assert isinstance(first[0], int)
    assert isinstance(first[5], datetime | date)
    assert isinstance(first[6], int | float)
    assert sheet.cell(row=2, column=6).number_format == "yyyy-mm-dd"


def test_english_csv_writes_a_decimal_point_and_swedish_a_decimal_comma(demo, client_for) -> None:
    query = f"case={demo.youth.reference}"
    english = _csv_rows(client_for(demo.carl, "en").get(_url("outcomes", "csv", query)))
    swedish = _csv_rows(client_for(demo.carl, "sv").get(_url("outcomes", "csv", query)))
    assert english[1][6].endswith(".00") and swedish[1][6].endswith(",00")
    assert english[0][6] == "Baseline value" and swedish[0][6] != "Baseline value"


def test_text_that_looks_like_a_formula_stays_text(demo, client_for) -> None:
    measurement = Measurement.objects.filter(outcome__case=demo.youth).first()
    Measurement.objects.filter(pk=measurement.pk).update(note='=HYPERLINK("http://x","y")')
    query = f"outcome={measurement.outcome_id}"
    rows = _csv_rows(client_for(demo.carl).get(_url("measurements", "csv", query)))
    assert '\'=HYPERLINK("http://x","y")' in [row[9] for row in rows]
    sheet = workbook_of(client_for(demo.carl).get(_url("measurements", "xlsx", query))).active
    cells = [row[9] for row in sheet.iter_rows(min_row=2)]
    note = next(cell for cell in cells if cell.value and cell.value.startswith("=HYPER"))
    assert note.data_type == "s"


def test_actions_export_keeps_the_status_filter(demo, client_for) -> None:
    query = f"case={demo.youth.reference}&status=in_progress"
    rows = _csv_rows(client_for(demo.carl).get(_url("actions", "csv", query)))
    expected = demo.youth.actions.filter(status="in_progress").count()
    assert len(rows) - 1 == expected > 0
    assert {row[3] for row in rows[1:]} == {"In progress"}


def test_participants_export_former_lists_only_those_that_declined_or_left(
    demo, client_for
) -> None:
    query = f"case={demo.youth.reference}&state=former"
    rows = _csv_rows(client_for(demo.carl).get(_url("participants", "csv", query)))
    assert all(row[3] in ("Declined", "Withdrawn") for row in rows[1:])


def test_webhook_delivery_log_is_only_for_the_organisations_admins(demo, client_for) -> None:
    sodertalje = demo.orgs.sodertalje.pk
    page = client_for(demo.sara).get(reverse("organisation_detail", args=[sodertalje]))
    link = _url("webhook-deliveries", "csv", f"organisation={sodertalje}")
    assert link in page.content.decode()
    assert client_for(demo.sara).get(link).status_code == 200
    page = client_for(demo.petra).get(reverse("organisation_detail", args=[sodertalje]))
    assert link not in page.content.decode()
    rows = _csv_rows(client_for(demo.eve).get(_url("webhook-deliveries", "csv")))
    assert rows[1:] == []


def test_signed_out_visitor_is_sent_to_sign_in_for_a_case_list_of_work(demo, client_for) -> None:
    response = client_for(None).get(_url("actions", "csv", f"case={demo.public.reference}"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_list_or_format_is_404(demo, client_for) -> None:
    client = client_for(demo.anna)
    assert client.get(_url("nothing", "csv")).status_code == 404
    assert client.get("/exports/cases.pdf").status_code == 404


def test_list_pages_link_to_downloads_that_keep_their_filters(demo, client_for) -> None:
    client = client_for(demo.anna)
    page = client.get(reverse("case_list") + "?status=active").content.decode()
    assert _url("cases", "csv", "status=active") in page
    actions = reverse("case_actions", args=[demo.youth.reference]) + "?status=planned"
    page = client.get(actions).content.decode()
    assert "status=planned&amp;case=" + demo.youth.reference in page
    page = client.get(reverse("case_detail", args=[demo.youth.reference])).content.decode()
    assert (
        _url("measurements", "xlsx", f"case={demo.youth.reference}").replace("&", "&amp;") in page
    )


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_reads_the_same_number_of_queries_for_few_and_many_rows(
    demo, client_for, django_assert_num_queries, extension
) -> None:
    from tests.exports.volume import add_measurements

    client = client_for(demo.carl)
    url = _url("measurements", extension, f"case={demo.youth.reference}")
    client.get(url)  # warm the session and the caches
    with django_assert_num_queries(5) as few:
        body(client.get(url))
    add_measurements(demo, 500)
    with django_assert_num_queries(len(few.captured_queries)):
        body(client.get(url))
