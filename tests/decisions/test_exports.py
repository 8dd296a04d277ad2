"""The register of decisions as CSV and XLSX: the rows and filters of the page, typed cells,
and the delegate's name only for whom the page names people."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.test import Client
from django.urls import reverse

from decisions.models import Decision
from tests.exports.conftest import body, workbook_of


def _url(extension: str, query: str = "") -> str:
    return reverse("export_download", args=["decisions", extension]) + (
        f"?{query}" if query else ""
    )


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(body(response).decode("utf-8")[1:]), delimiter=";"))


def test_the_committee_downloads_every_decision_newest_first_with_swedish_headers(
    demo, client_for
) -> None:
    rows = _rows(client_for(demo.anna, "sv").get(_url("csv")))
    assert rows[0][:4] == ["Nummer", "År", "Datum", "Ärende"]
    newest_first = [d.reference for d in Decision.objects.order_by("-year", "-number")]
    assert [row[0] for row in rows[1:]] == newest_first and len(newest_first) == 5
    revoking = Decision.objects.get(revokes__isnull=False)
    row = next(r for r in rows[1:] if r[0] == revoking.reference)
    assert row[9] == revoking.revokes.reference
    delegated = next(r for r in rows[1:] if r[7] == "En delegat för kommittén")
    assert delegated[8] == demo.anna.get_full_name()


def test_the_register_page_links_its_download_with_its_filters(demo, client_for) -> None:
    page = client_for(demo.anna).get(reverse("decision_list") + "?year=2026").content.decode()
    assert _url("xlsx", "year=2026").replace("&", "&amp;") in page


def test_without_signing_in_only_public_cases_decisions_and_no_names(demo) -> None:
    rows = _rows(Client().get(_url("csv")))
    assert {row[3] for row in rows[1:]} == {demo.public.reference}
    assert all(row[8] == "" for row in rows[1:])


def test_the_case_filter_of_a_hidden_case_gives_no_rows_as_the_page_does(demo, client_for) -> None:
    rows = _rows(client_for(demo.eve).get(_url("csv", f"case={demo.youth.reference}")))
    assert rows[1:] == []
    rows = _rows(client_for(demo.anna).get(_url("csv", f"case={demo.youth.reference}")))
    assert len(rows) - 1 == Decision.objects.filter(case=demo.youth).count() == 3


def test_the_xlsx_has_real_dates_and_numbers(demo, client_for) -> None:
    sheet = workbook_of(client_for(demo.anna).get(_url("xlsx"))).active
    first = [cell.value for cell in sheet[2]]
    assert isinstance(first[1], int) and isinstance(first[2], (date,))
