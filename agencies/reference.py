"""Loads the shipped Swedish reference data: municipalities, regions and state agencies.

The CSV files in `agencies/data/` are CC0 data; see `agencies/data/SOURCES.md`.
Each row has a stable `reference_key`, so loading again updates rows instead of duplicating them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .choices import OrganisationKind
from .models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
GOTLAND_MUNICIPALITY_CODE = "0980"
# Regions whose official name is not simply "Region <county>".
REGION_NAMES = {
    "04": "Region Sörmland",
    "14": "Västra Götalandsregionen",
    "23": "Region Jämtland Härjedalen",
}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(key: str, fields: dict[str, object], result: LoadResult) -> None:
    organisation = Organisation.objects.filter(reference_key=key).first()
    if organisation is None:
        organisation = Organisation(reference_key=key)
        result.created += 1
    else:
        result.updated += 1
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()


def _municipality_fields(row: dict[str, str]) -> dict[str, object]:
    code = row["municipality_code"]
    gotland = code == GOTLAND_MUNICIPALITY_CODE
    return {
        "kind": OrganisationKind.MUNICIPALITY,
        "name": "Region Gotland" if gotland else f"{row['name']} kommun",
        "short_name": row["name"],
        "municipality_code": code,
        "region_code": row["county_code"],
        "has_regional_duties": gotland,
    }


def _region_fields(row: dict[str, str]) -> dict[str, object]:
    code = row["county_code"]
    return {
        "kind": OrganisationKind.REGION,
        "name": REGION_NAMES.get(code, f"Region {row['county_name_short']}"),
        "short_name": row["county_name_short"],
        "region_code": code,
    }


def _agency_fields(row: dict[str, str]) -> dict[str, object]:
    return {
        "kind": OrganisationKind.STATE_AGENCY,
        "name": row["name"],
        "short_name": row["short_name"],
        "name_en": row["name_en"],
        "organisation_number": row["organisation_number"],
        "ministry": row["department"],
    }


@transaction.atomic
def load_reference_data() -> dict[str, LoadResult]:
    """Create or update every reference organisation; returns counts per kind."""
    results = {"municipalities": LoadResult(), "regions": LoadResult(), "agencies": LoadResult()}
    for row in _rows("municipalities.csv"):
        key = f"municipality:{row['municipality_code']}"
        _upsert(key, _municipality_fields(row), results["municipalities"])
    for row in _rows("counties.csv"):
        if row["county_code"] == "09":
            continue  # Gotland's regional duties lie with its municipality, loaded above.
        _upsert(f"region:{row['county_code']}", _region_fields(row), results["regions"])
    for row in _rows("state_agencies.csv"):
        key = f"agency:{row['organisation_number']}"
        _upsert(key, _agency_fields(row), results["agencies"])
    return results
