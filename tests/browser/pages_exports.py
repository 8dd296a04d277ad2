"""The pages of a measurement import, as the axe and keyboard tests visit them."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from cases.models import Measurement
from exports.models import MeasurementImport
from exports.services import measurement_import_prepare
from tests.browser.pages import PageType, submit_main_form

HEADER = "Mätvärdes-id;Mål-id;Datum;Värde;Organisation;Anteckning\n"


def _import_path(with_error: bool) -> Callable[[SimpleNamespace], str]:
    """Carl's import of the youth case: a correction and a new value (and a row with errors)."""

    def path(demo: SimpleNamespace) -> str:
        name = "med-fel.csv" if with_error else "klar.csv"
        found = MeasurementImport.objects.filter(file_name=name).first()
        if found is None:
            value = (
                Measurement.objects.filter(outcome__case=demo.youth, organisation=demo.orgs.police)
                .exclude(review_state="withdrawn")
                .order_by("-measured_on")
                .first()
            )
            today = timezone.localdate().isoformat()
            lines = [
                f"{value.pk};{value.outcome_id};{value.measured_on};{value.value + 1};"
                "Polismyndigheten;Rättad",
                f";{value.outcome_id};{today};41;Polismyndigheten;Ny",
            ]
            if with_error:
                lines.append(f";{value.outcome_id};den 3 mars;=A1;Polismyndigheten;Fel")
            found = measurement_import_prepare(
                actor=demo.carl,
                case=demo.youth,
                file_name=name,
                data=(HEADER + "\n".join(lines) + "\n").encode(),
            )
        return reverse("measurement_import_preview", args=[found.pk])

    return path


def _upload_path(demo: SimpleNamespace) -> str:
    return reverse("measurement_import", args=[demo.youth.reference])


PAGE_TYPES_EXPORTS = [
    PageType("measurement-import", "carl", _upload_path),
    PageType("measurement-import-errors", "carl", _upload_path, submit_main_form),
    PageType("measurement-import-preview", "carl", _import_path(with_error=False)),
    PageType("measurement-import-preview-errors", "carl", _import_path(with_error=True)),
]
