"""Importing measurements: upload, preview (nothing written), confirm (all rows or none)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Measurement, Outcome
from exports.models import MeasurementImport
from tests.exports.conftest import body, workbook_of, xlsx_bytes
from tests.helpers import nothing_written

VALUE, DATE, NOTE = 7, 6, 10  # columns of the measurements export (1-based)


def _export(client, case, extension: str = "xlsx"):  # type: ignore[no-untyped-def]
    url = reverse("export_download", args=["measurements", extension])
    return client.get(url, {"case": case.reference})


def _upload(client, case, name: str, data: bytes):  # type: ignore[no-untyped-def]
    url = reverse("measurement_import", args=[case.reference])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _new_row(sheet, outcome: Outcome, organisation, value: object) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    sheet.append(
        [
            None,
            outcome.case.reference,
            outcome.pk,
            outcome.title,
            outcome.unit,
            today,
            value,
            organisation.name,
            organisation.organisation_number,
            "Import",
            None,
        ]
    )


@pytest.fixture
def edited(demo, client_for):  # type: ignore[no-untyped-def]
    """The youth case's measurements exported by its coordinator, three values changed and two
    rows added, as a user would in Excel."""
    client = client_for(demo.carl)
    workbook = workbook_of(_export(client, demo.youth))
    sheet = workbook.active
    changed = {}
    for row in (2, 3, 4):
        cell = sheet.cell(row=row, column=VALUE)
        cell.value = cell.value + 1
        changed[sheet.cell(row=row, column=1).value] = Decimal(cell.value)
    suspects = Outcome.objects.get(case=demo.youth, title__startswith="Färre unga")
    occupied = Outcome.objects.get(case=demo.youth, title__startswith="Fler unga")
    _new_row(sheet, suspects, demo.orgs.police, 43)
    _new_row(sheet, occupied, demo.orgs.sodertalje, 88.5)
    return client, xlsx_bytes(workbook), changed


def test_round_trip_previews_two_new_and_three_corrections_and_writes_only_on_confirm(
    demo, edited
) -> None:
    client, data, changed = edited
    before = Measurement.objects.count()
    with nothing_written():
        response = _upload(client, demo.youth, "values.xlsx", data)
        assert response.status_code == 302
        preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "2 new values" in page and "3 corrections" in page and "0 rows with errors" in page
    response = client.post(response["Location"], {"reason": "Rättade siffror från källan."})
    assert response.status_code == 302
    assert Measurement.objects.count() == before + 2
    for pk, value in changed.items():
        measurement = Measurement.objects.get(pk=pk)
        assert measurement.value == value
        assert measurement.history.first().history_change_reason == "Rättade siffror från källan."
    assert Measurement.objects.filter(note="Import", value=Decimal("88.50")).exists()


def test_a_file_with_one_bad_row_writes_nothing(demo, edited) -> None:
    client, data, _changed = edited
    workbook = __import__("openpyxl").load_workbook(io.BytesIO(data))
    workbook.active.cell(row=3, column=DATE).value = "den 3 mars"
    with nothing_written():
        response = _upload(client, demo.youth, "values.xlsx", xlsx_bytes(workbook))
        page = client.get(response["Location"]).content.decode()
        assert "1 row with errors" in page
        assert "Write the date as YYYY-MM-DD" in page
        confirm = client.post(response["Location"], {"reason": "Rättelse"})
    assert confirm.status_code == 400
    assert "Nothing was written" in confirm.content.decode()


def test_a_row_that_fails_at_confirmation_undoes_every_row(demo, edited) -> None:
    client, data, _changed = edited
    response = _upload(client, demo.youth, "values.xlsx", data)
    # Between preview and confirmation someone reports the police's value for the same day.
    suspects = Outcome.objects.get(case=demo.youth, title__startswith="Färre unga")
    case_services.measurement_report(
        actor=demo.petra,
        outcome=suspects,
        organisation=demo.orgs.police,
        value=Decimal(41),
        measured_on=timezone.localdate(),
    )
    with nothing_written():
        confirm = client.post(response["Location"], {"reason": "Rättelse"})
    assert confirm.status_code == 400
    assert "already reported" in confirm.content.decode()
    assert MeasurementImport.objects.get().confirmed_at is None


def test_corrections_need_a_reason(demo, edited) -> None:
    client, data, _changed = edited
    response = _upload(client, demo.youth, "values.xlsx", data)
    with nothing_written():
        confirm = client.post(response["Location"], {"reason": ""})
    assert confirm.status_code == 400
    assert "Say why the values are corrected." in confirm.content.decode()


def test_a_formula_cell_is_an_error_for_its_row_and_never_evaluated(demo, edited) -> None:
    client, data, _changed = edited
    workbook = __import__("openpyxl").load_workbook(io.BytesIO(data))
    workbook.active.cell(row=2, column=VALUE).value = "=1+1"
    response = _upload(client, demo.youth, "values.xlsx", xlsx_bytes(workbook))
    batch = MeasurementImport.objects.get()
    first = next(row for row in batch.rows if row["line"] == 2)
    assert first["action"] == "invalid" and "value" in first["errors"]
    assert first["shown"]["value"] == "=1+1"
    assert "A formula is not read" in client.get(response["Location"]).content.decode()


def test_the_swedish_csv_export_imports_back_unchanged(demo, client_for) -> None:
    client = client_for(demo.carl, "sv")
    data = body(_export(client, demo.youth, "csv"))
    with nothing_written():
        response = _upload(client, demo.youth, "värden.csv", data)
    batch = MeasurementImport.objects.get()
    assert response.status_code == 302
    assert {row["action"] for row in batch.rows} == {"unchanged"}


def test_a_partners_imported_value_waits_for_review(demo, client_for) -> None:
    client = client_for(demo.petra)
    workbook = workbook_of(_export(client, demo.youth))
    suspects = Outcome.objects.get(case=demo.youth, title__startswith="Färre unga")
    _new_row(workbook.active, suspects, demo.orgs.police, 42)
    response = _upload(client, demo.youth, "polisen.xlsx", xlsx_bytes(workbook))
    client.post(response["Location"], {"reason": ""})
    assert Measurement.objects.get(note="Import").review_state == "submitted"


def test_a_partner_cannot_import_values_for_another_organisation(demo, client_for) -> None:
    client = client_for(demo.petra)
    workbook = workbook_of(_export(client, demo.youth))
    occupied = Outcome.objects.get(case=demo.youth, title__startswith="Fler unga")
    _new_row(workbook.active, occupied, demo.orgs.sodertalje, 85)
    response = _upload(client, demo.youth, "polisen.xlsx", xlsx_bytes(workbook))
    page = client.get(response["Location"]).content.decode()
    assert "1 row with errors" in page
    assert "only for your own organisation" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("values.xlsx", b"Measurement id;Value\n1;2\n", "is not an Excel workbook"),
        ("values.csv", b"PK\x03\x04" + b"\x00" * 40, "is not a CSV text file"),
        ("values.csv", bytes(range(256)) * 4, "is not a CSV text file"),
        ("values.pdf", b"%PDF-1.4", "Upload a CSV or XLSX file"),
        ("values.csv", "Värde;Datum\n1;2026-01-01\n".encode(), "lacks these columns"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_by_the_field(
    demo, client_for, name: str, data: bytes, message: str
) -> None:
    with nothing_written():
        response = _upload(client_for(demo.carl), demo.youth, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MeasurementImport.objects.exists()


def test_a_zip_without_content_types_is_not_a_workbook(demo, client_for) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hej")
    response = _upload(client_for(demo.carl), demo.youth, "values.xlsx", out.getvalue())
    assert response.status_code == 400
    assert "is not an Excel workbook" in response.content.decode()


def test_an_outsider_finds_neither_the_import_page_nor_anyones_import(
    demo, edited, client_for
) -> None:
    client, data, _changed = edited
    response = _upload(client, demo.youth, "values.xlsx", data)
    eve = client_for(demo.eve)
    assert eve.get(reverse("measurement_import", args=[demo.youth.reference])).status_code == 404
    assert eve.get(response["Location"]).status_code == 404
    # Another participant sees the case but not carl's import.
    assert client_for(demo.petra).get(response["Location"]).status_code == 404
